CREATE TYPE "public"."hold_status" AS ENUM('PENDING', 'CAPTURED', 'VOIDED', 'EXPIRED');--> statement-breakpoint
ALTER TYPE "public"."idempotent_operation" ADD VALUE 'PLACE_HOLD';--> statement-breakpoint
ALTER TYPE "public"."idempotent_operation" ADD VALUE 'CAPTURE_HOLD';--> statement-breakpoint
ALTER TYPE "public"."idempotent_operation" ADD VALUE 'VOID_HOLD';--> statement-breakpoint
CREATE TABLE "holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"wallet_id" uuid NOT NULL,
	"receiver_wallet_id" uuid,
	"amount_minor" bigint NOT NULL,
	"captured_minor" bigint DEFAULT 0 NOT NULL,
	"status" "hold_status" DEFAULT 'PENDING' NOT NULL,
	"description" text,
	"expires_at" timestamp (6) with time zone,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (6) with time zone,
	"capture_transaction_id" uuid,
	CONSTRAINT "holds_amount_in_range" CHECK ("holds"."amount_minor" > 0 AND "holds"."amount_minor" <= 999999999999999),
	CONSTRAINT "holds_receiver_other_wallet" CHECK ("holds"."receiver_wallet_id" IS NULL OR "holds"."receiver_wallet_id" <> "holds"."wallet_id"),
	CONSTRAINT "holds_status_shape" CHECK (("holds"."status" = 'PENDING' AND "holds"."captured_minor" = 0 AND "holds"."resolved_at" IS NULL
          AND "holds"."capture_transaction_id" IS NULL)
        OR ("holds"."status" = 'CAPTURED' AND "holds"."captured_minor" > 0
          AND "holds"."captured_minor" <= "holds"."amount_minor" AND "holds"."resolved_at" IS NOT NULL
          AND "holds"."capture_transaction_id" IS NOT NULL)
        OR ("holds"."status" IN ('VOIDED', 'EXPIRED') AND "holds"."captured_minor" = 0
          AND "holds"."resolved_at" IS NOT NULL AND "holds"."capture_transaction_id" IS NULL)),
	CONSTRAINT "holds_expiry_in_range" CHECK ("holds"."expires_at" IS NULL OR ("holds"."expires_at" > "holds"."created_at"
        AND "holds"."expires_at" <= "holds"."created_at" + make_interval(days => 30))),
	CONSTRAINT "holds_captured_before_expiry" CHECK ("holds"."status" <> 'CAPTURED' OR "holds"."expires_at" IS NULL OR "holds"."resolved_at" < "holds"."expires_at"),
	CONSTRAINT "holds_expired_after_expiry" CHECK ("holds"."status" <> 'EXPIRED' OR ("holds"."expires_at" IS NOT NULL AND "holds"."resolved_at" >= "holds"."expires_at")),
	CONSTRAINT "holds_resolved_after_created" CHECK ("holds"."resolved_at" IS NULL OR "holds"."resolved_at" >= "holds"."created_at"),
	CONSTRAINT "holds_description_length" CHECK (char_length("holds"."description") <= 500)
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "hold_id" uuid;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "held_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_wallet_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_receiver_fk" FOREIGN KEY ("receiver_wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "holds_wallet_id_idx" ON "holds" USING btree ("wallet_id","id");--> statement-breakpoint
CREATE INDEX "holds_pending_expiry_idx" ON "holds" USING btree ("expires_at") WHERE "holds"."status" = 'PENDING' AND "holds"."expires_at" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_hold_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_hold_capture_unique" UNIQUE("hold_id","type");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_hold_entry_types" CHECK ("ledger_entries"."hold_id" IS NULL
        OR "ledger_entries"."type" IN ('TRANSFER_OUT', 'TRANSFER_IN', 'WITHDRAWAL', 'WITHDRAWAL_COUNTER'));--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_held_non_negative" CHECK ("wallets"."held_minor" >= 0);--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_held_within_balance" CHECK ("wallets"."kind" = 'EXTERNAL' OR "wallets"."balance_minor" - "wallets"."held_minor" >= 0);--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_external_holds_nothing" CHECK ("wallets"."kind" = 'USER' OR "wallets"."held_minor" = 0);--> statement-breakpoint
-- ---------------------------------------------------------------- hand-written (holds)
-- Written by hand (drizzle-kit writes no triggers): a hold is resolved at most once, in
-- the database, whatever the code does. Any UPDATE of a hold that is no longer PENDING
-- is refused (holds_resolved_once), so two captures, or a capture and a void, cannot
-- both land even if the code's check were wrong; a hold's terms (wallets, amount,
-- expiry, description, creation) never change (holds_terms_fixed); holds are never
-- deleted (holds_kept). Resolving a hold stamps resolved_at with now(), the database's
-- clock, so holds_captured_before_expiry and holds_expired_after_expiry compare the
-- capture or the release with that clock, not with a time the client or the code chose.
CREATE FUNCTION "holds_guard_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'holds are kept: % refused', TG_OP
      USING ERRCODE = 'restrict_violation', CONSTRAINT = 'holds_kept';
  END IF;
  IF OLD."status" <> 'PENDING' THEN
    RAISE EXCEPTION 'hold % is % and can no longer change', OLD."id", OLD."status"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'holds_resolved_once';
  END IF;
  IF (NEW."id", NEW."wallet_id", NEW."receiver_wallet_id", NEW."amount_minor",
      NEW."description", NEW."expires_at", NEW."created_at")
     IS DISTINCT FROM (OLD."id", OLD."wallet_id", OLD."receiver_wallet_id",
      OLD."amount_minor", OLD."description", OLD."expires_at", OLD."created_at") THEN
    RAISE EXCEPTION 'the terms of hold % cannot change', OLD."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'holds_terms_fixed';
  END IF;
  IF NEW."status" <> 'PENDING' THEN
    NEW."resolved_at" := now();
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "holds_resolved_once"
  BEFORE UPDATE OR DELETE ON "holds"
  FOR EACH ROW EXECUTE FUNCTION "holds_guard_change"();--> statement-breakpoint
CREATE TRIGGER "holds_no_truncate"
  BEFORE TRUNCATE ON "holds"
  FOR EACH STATEMENT EXECUTE FUNCTION "holds_guard_change"();
