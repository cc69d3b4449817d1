-- Each wallet's entries are in time order along its chain: an entry is never stamped
-- before its predecessor. The ledger stamps a batch with the latest change of the wallets
-- it locked when that is later than its transaction's start (a batch that began before
-- another committed on the same wallet stamped its entries earlier than their
-- predecessors); as-of balances read the chain by time and rely on it. Checked once per
-- INSERT statement over its transition table: a batch's entries cost one join.
CREATE FUNCTION "ledger_entries_check_chain_time"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1
      FROM inserted_entries AS entry
      JOIN "ledger_entries" AS previous
        ON previous.wallet_id = entry.wallet_id AND previous.sequence = entry.previous_sequence
     WHERE entry.created_at < previous.created_at
  ) THEN
    RAISE EXCEPTION 'a ledger entry is stamped before its predecessor in its wallet''s chain'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entries_created_in_chain_order';
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_created_in_chain_order"
  AFTER INSERT ON "ledger_entries"
  REFERENCING NEW TABLE AS inserted_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_entries_check_chain_time"();--> statement-breakpoint
-- A wallet's updated_at is the stamp of its latest change; make sure none is earlier than
-- its latest entry (entries made before this migration), so the next stamp follows it.
UPDATE "wallets" AS wallet
   SET updated_at = latest.created_at
  FROM (SELECT wallet_id, max(created_at) AS created_at FROM "ledger_entries" GROUP BY wallet_id) AS latest
 WHERE latest.wallet_id = wallet.id AND wallet.updated_at < latest.created_at;
