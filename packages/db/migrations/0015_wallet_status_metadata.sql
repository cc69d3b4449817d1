CREATE TYPE "public"."wallet_status" AS ENUM('ACTIVE', 'FROZEN', 'CLOSED');--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "status" "wallet_status" DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "wallets_metadata_idx" ON "wallets" USING gin ("metadata" jsonb_path_ops) WHERE "wallets"."metadata" <> '{}'::jsonb;--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_closed_empty" CHECK ("wallets"."status" <> 'CLOSED' OR ("wallets"."balance_minor" = 0 AND "wallets"."held_minor" = 0));--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_external_active" CHECK ("wallets"."kind" = 'USER' OR "wallets"."status" = 'ACTIVE');--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_metadata_shape" CHECK (jsonb_typeof("wallets"."metadata") = 'object'
    AND NOT jsonb_path_exists("wallets"."metadata", '$.* ? (@.type() != "string")')
    AND octet_length("wallets"."metadata"::text) <= 65536);--> statement-breakpoint
-- ---------------------------------------------------------------- hand-written (wallet status)
-- Written by hand (drizzle-kit writes no triggers): what a wallet's status forbids, refused
-- by the database whatever the code does. The ledger decides first, from the status of the
-- row its batch locked (a refusal per write: WALLET_FROZEN, WALLET_CLOSED); these are the
-- backstop. FROZEN: no debit entry (TRANSFER_OUT, WITHDRAWAL) and no new reservation (its
-- held_minor may fall, as a hold is voided or expires, never rise); credits still land.
-- CLOSED: no entry at all (and wallets_closed_empty keeps its balance and held at zero),
-- and no way back: a closed wallet's status never changes again (wallets_closed_final).
CREATE FUNCTION "ledger_entries_check_wallet_status"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  refused record;
BEGIN
  SELECT entry.id, entry.type, wallet.id AS wallet_id, wallet.status INTO refused
    FROM inserted_entries AS entry
    JOIN "wallets" AS wallet ON wallet.id = entry.wallet_id
   WHERE wallet.status = 'CLOSED'
      OR (wallet.status = 'FROZEN' AND entry.type IN ('TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'))
   LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF refused.status = 'CLOSED' THEN
    RAISE EXCEPTION 'wallet % is closed: entry % (%) refused', refused.wallet_id, refused.id, refused.type
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_wallet_not_closed';
  END IF;
  RAISE EXCEPTION 'wallet % is frozen: debit entry % (%) refused', refused.wallet_id, refused.id, refused.type
    USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_no_debit_of_frozen_wallet';
END;
$$;--> statement-breakpoint
-- Once per INSERT statement over its transition table: a batch's entries cost one join.
CREATE TRIGGER "ledger_entries_wallet_status"
  AFTER INSERT ON "ledger_entries"
  REFERENCING NEW TABLE AS inserted_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_entries_check_wallet_status"();--> statement-breakpoint
CREATE FUNCTION "wallets_guard_status"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'CLOSED' AND NEW."status" <> 'CLOSED' THEN
    RAISE EXCEPTION 'wallet % is closed, for good: it cannot become %', OLD."id", NEW."status"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'wallets_closed_final';
  END IF;
  IF NEW."status" = 'FROZEN' AND NEW."held_minor" > OLD."held_minor" THEN
    RAISE EXCEPTION 'wallet % is frozen: no new hold may reserve its money', OLD."id"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'wallets_frozen_reserves_nothing_new';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- Only the updates that could break a rule run the function: a balance update of an active
-- wallet (every movement's) costs nothing more.
CREATE TRIGGER "wallets_status_rules"
  BEFORE UPDATE ON "wallets"
  FOR EACH ROW
  WHEN ((OLD."status" = 'CLOSED' AND NEW."status" <> 'CLOSED')
        OR (NEW."status" = 'FROZEN' AND NEW."held_minor" > OLD."held_minor"))
  EXECUTE FUNCTION "wallets_guard_status"();
