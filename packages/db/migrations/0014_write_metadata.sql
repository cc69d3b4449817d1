ALTER TABLE "holds" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "ledger_entries_metadata_idx" ON "ledger_entries" USING gin ("metadata" jsonb_path_ops) WHERE "ledger_entries"."metadata" <> '{}'::jsonb;--> statement-breakpoint
CREATE INDEX "ledger_entries_wallet_created_at_idx" ON "ledger_entries" USING btree ("wallet_id","created_at","sequence");--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_metadata_shape" CHECK (jsonb_typeof("holds"."metadata") = 'object'
    AND NOT jsonb_path_exists("holds"."metadata", '$.* ? (@.type() != "string")')
    AND octet_length("holds"."metadata"::text) <= 65536);--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_metadata_shape" CHECK (jsonb_typeof("ledger_entries"."metadata") = 'object'
    AND NOT jsonb_path_exists("ledger_entries"."metadata", '$.* ? (@.type() != "string")')
    AND octet_length("ledger_entries"."metadata"::text) <= 65536);--> statement-breakpoint
-- ---------------------------------------------------------------- hand-written (write metadata)
-- Written by hand: a hold's metadata is one of its terms (stored at placement, never
-- changed), so holds_terms_fixed now compares it too. The function is the one of 0012
-- with "metadata" added to the compared terms; the triggers that call it stay.
CREATE OR REPLACE FUNCTION "holds_guard_change"() RETURNS trigger
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
      NEW."description", NEW."metadata", NEW."expires_at", NEW."created_at")
     IS DISTINCT FROM (OLD."id", OLD."wallet_id", OLD."receiver_wallet_id",
      OLD."amount_minor", OLD."description", OLD."metadata", OLD."expires_at",
      OLD."created_at") THEN
    RAISE EXCEPTION 'the terms of hold % cannot change', OLD."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'holds_terms_fixed';
  END IF;
  IF NEW."status" <> 'PENDING' THEN
    NEW."resolved_at" := now();
  END IF;
  RETURN NEW;
END;
$$;
