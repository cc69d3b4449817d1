ALTER TYPE "public"."idempotent_operation" ADD VALUE 'REVERSE';--> statement-breakpoint
CREATE TABLE "transaction_reversals" (
	"original_id" uuid PRIMARY KEY NOT NULL,
	"original_minor" bigint NOT NULL,
	"reversed_minor" bigint NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transaction_reversals_within_original" CHECK ("transaction_reversals"."reversed_minor" > 0 AND "transaction_reversals"."reversed_minor" <= "transaction_reversals"."original_minor")
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "reverses_transaction_id" uuid;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reversal_counted_fk" FOREIGN KEY ("reverses_transaction_id") REFERENCES "public"."transaction_reversals"("original_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_reverses_transaction_idx" ON "ledger_entries" USING btree ("reverses_transaction_id") WHERE "ledger_entries"."reverses_transaction_id" IS NOT NULL;--> statement-breakpoint
-- ---------------------------------------------------------------------------------
-- Written by hand (drizzle-kit writes no triggers): reversals, counted by the database.
-- Carry this part over as it is when the migration is renumbered.
--
-- Each reversal has exactly one debit entry (a FUND reversed: the WITHDRAWAL on its
-- wallet; a WITHDRAWAL reversed: the FUND_COUNTER on the external account; a transfer
-- reversed: the TRANSFER_OUT on its receiver). As that entry is written, this trigger
-- finds the original (which must be a funding, withdrawal or transfer that is not
-- itself a reversal, and the entry must undo its credit), then adds the amount to the
-- original's transaction_reversals row under that row's lock (an upsert: a concurrent
-- first reversal waits for the other's commit). transaction_reversals_within_original
-- then refuses a total past the original's amount, however the entry was written. The
-- foreign key ledger_entries_reversal_counted_fk ties every other entry of a reversal
-- to the same row. The WHEN clause compares only values the enum had before: the new
-- idempotent_operation value is not usable inside the migration's transaction.
CREATE FUNCTION "ledger_entries_count_reversal"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  original "ledger_entries"%ROWTYPE;
BEGIN
  SELECT * INTO original FROM "ledger_entries" AS "e"
   WHERE "e"."reverses_transaction_id" IS NULL
     AND (("e"."id" = NEW."reverses_transaction_id" AND "e"."type" IN ('FUND', 'WITHDRAWAL'))
       OR ("e"."transfer_id" = NEW."reverses_transaction_id" AND "e"."type" = 'TRANSFER_OUT'));
  IF NOT FOUND OR NOT (
       (original."type" = 'FUND' AND NEW."type" = 'WITHDRAWAL'
         AND NEW."wallet_id" = original."wallet_id")
    OR (original."type" = 'WITHDRAWAL' AND NEW."type" = 'FUND_COUNTER'
         AND NEW."counterparty_wallet_id" = original."wallet_id")
    OR (original."type" = 'TRANSFER_OUT' AND NEW."type" = 'TRANSFER_OUT'
         AND NEW."wallet_id" = original."counterparty_wallet_id"
         AND NEW."counterparty_wallet_id" = original."wallet_id")) THEN
    RAISE EXCEPTION 'entry % does not reverse a funding, withdrawal or transfer %',
        NEW."id", NEW."reverses_transaction_id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_reverses_reversible';
  END IF;
  INSERT INTO "transaction_reversals" AS "r" ("original_id", "original_minor", "reversed_minor")
    VALUES (NEW."reverses_transaction_id", original."amount_minor", NEW."amount_minor")
    ON CONFLICT ("original_id") DO UPDATE
      SET "reversed_minor" = "r"."reversed_minor" + EXCLUDED."reversed_minor",
          "updated_at" = now();
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_count_reversal"
  BEFORE INSERT ON "ledger_entries"
  FOR EACH ROW
  WHEN (NEW."reverses_transaction_id" IS NOT NULL
        AND NEW."type" IN ('TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'))
  EXECUTE FUNCTION "ledger_entries_count_reversal"();--> statement-breakpoint
-- What is reversed only grows, as the entries it counts are append-only: a row is never
-- deleted, never moved to another original or amount, and its total never shrinks.
CREATE FUNCTION "transaction_reversals_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."original_id" = OLD."original_id"
     AND NEW."original_minor" = OLD."original_minor"
     AND NEW."reversed_minor" >= OLD."reversed_minor" THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'transaction reversals only grow: % refused', TG_OP
    USING ERRCODE = 'restrict_violation', CONSTRAINT = 'transaction_reversals_only_grow';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "transaction_reversals_only_grow"
  BEFORE UPDATE OR DELETE ON "transaction_reversals"
  FOR EACH ROW EXECUTE FUNCTION "transaction_reversals_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "transaction_reversals_no_truncate"
  BEFORE TRUNCATE ON "transaction_reversals"
  FOR EACH STATEMENT EXECUTE FUNCTION "transaction_reversals_refuse_change"();
