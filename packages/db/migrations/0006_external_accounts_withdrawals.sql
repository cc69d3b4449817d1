CREATE TYPE "public"."wallet_kind" AS ENUM('USER', 'EXTERNAL');--> statement-breakpoint
-- Edited by hand (drizzle-kit adds enum values with ALTER TYPE … ADD VALUE, and a value
-- added so cannot be used before its transaction commits, while Drizzle's migrator runs
-- every pending migration in one transaction and this one's constraints and backfill
-- use the new entry types): ledger_entry_type is made again with its three new values
-- at the end, in the order of packages/contract/src/vocabulary.ts. The constraints that
-- compare the column with the old type's values go first; they come back below.
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_balances_in_range";--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_arithmetic";--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_counterparty_shape";--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_type" RENAME TO "ledger_entry_type_0005";--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_type" AS ENUM('FUND', 'TRANSFER_IN', 'TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER', 'WITHDRAWAL_COUNTER');--> statement-breakpoint
ALTER TABLE "ledger_entries" ALTER COLUMN "type" TYPE "public"."ledger_entry_type" USING "type"::text::"public"."ledger_entry_type";--> statement-breakpoint
DROP TYPE "public"."ledger_entry_type_0005";--> statement-breakpoint
ALTER TYPE "public"."idempotent_operation" ADD VALUE 'WITHDRAW';--> statement-breakpoint
ALTER TABLE "wallets" DROP CONSTRAINT "wallets_balance_non_negative";--> statement-breakpoint
ALTER TABLE "wallets" ADD COLUMN "kind" "wallet_kind" DEFAULT 'USER' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "wallets_one_external_per_currency" ON "wallets" USING btree ("currency") WHERE "wallets"."kind" = 'EXTERNAL';--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_balances_in_range" CHECK (("ledger_entries"."type" IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')
          AND "ledger_entries"."balance_before_minor" <= 0 AND "ledger_entries"."balance_after_minor" <= 0)
        OR ("ledger_entries"."type" NOT IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')
          AND "ledger_entries"."balance_before_minor" >= 0 AND "ledger_entries"."balance_after_minor" >= 0
          AND "ledger_entries"."balance_after_minor" <= 999999999999999));--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_arithmetic" CHECK ("ledger_entries"."balance_after_minor" = CASE WHEN "ledger_entries"."type" IN ('TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER')
        THEN "ledger_entries"."balance_before_minor" - "ledger_entries"."amount_minor"
        ELSE "ledger_entries"."balance_before_minor" + "ledger_entries"."amount_minor" END);--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_counterparty_shape" CHECK (("ledger_entries"."type" IN ('FUND', 'WITHDRAWAL')
          AND "ledger_entries"."counterparty_wallet_id" IS NULL AND "ledger_entries"."transfer_id" IS NULL)
        OR ("ledger_entries"."type" NOT IN ('FUND', 'WITHDRAWAL') AND "ledger_entries"."counterparty_wallet_id" IS NOT NULL
          AND "ledger_entries"."transfer_id" IS NOT NULL AND "ledger_entries"."counterparty_wallet_id" <> "ledger_entries"."wallet_id"));--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_external_balance_non_positive" CHECK ("wallets"."kind" = 'USER' OR "wallets"."balance_minor" <= 0);--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_external_id_of_currency" CHECK ("wallets"."kind" = 'USER' OR "wallets"."id" = ('00000000-0000-8000-8000-000000' || encode(convert_to("wallets"."currency", 'UTF8'), 'hex'))::uuid);--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_balance_non_negative" CHECK ("wallets"."kind" = 'EXTERNAL' OR "wallets"."balance_minor" >= 0);--> statement-breakpoint
-- Edited by hand (data, which drizzle-kit does not write): double entry for the money
-- already in the ledger. Each currency in use, and each the service supports today
-- (packages/contract/src/currencies.ts), gets its external account (its id made
-- from the currency code, as wallets_external_id_of_currency requires), and every FUND
-- entry its FUND_COUNTER on that account: one chain per currency in the fundings' order
-- (created_at, then id), each entry's balance minus the fundings so far, so every
-- transaction sums to zero and the external account's balance is minus all the money
-- that entered. Counter-entry ids are gen_random_uuid()'s (PostgreSQL 17 makes no
-- UUIDv7); nothing orders entries by id. A currency supported later gets its account
-- when its first wallet is created (packages/ledger/src/wallets.ts).
INSERT INTO "wallets" ("id", "currency", "kind")
  SELECT ('00000000-0000-8000-8000-000000' || encode(convert_to("c"."currency", 'UTF8'), 'hex'))::uuid,
         "c"."currency", 'EXTERNAL'::"wallet_kind"
    FROM (SELECT DISTINCT "currency" FROM "wallets" WHERE "kind" = 'USER'
          UNION SELECT unnest(ARRAY['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'KWD'])) AS "c";--> statement-breakpoint
INSERT INTO "ledger_entries" ("id", "wallet_id", "sequence", "previous_sequence", "type",
    "amount_minor", "balance_before_minor", "balance_after_minor", "status", "description",
    "counterparty_wallet_id", "transfer_id", "created_at")
  SELECT gen_random_uuid(), "f"."external_id", "f"."position", NULLIF("f"."position" - 1, 0),
         'FUND_COUNTER', "f"."amount_minor", "f"."amount_minor" - "f"."funded", -"f"."funded",
         'COMPLETED', "f"."description", "f"."wallet_id", "f"."id", "f"."created_at"
    FROM (SELECT "e"."id", "e"."wallet_id", "e"."amount_minor", "e"."description", "e"."created_at",
                 ('00000000-0000-8000-8000-000000' || encode(convert_to("w"."currency", 'UTF8'), 'hex'))::uuid AS "external_id",
                 row_number() OVER "chain" AS "position",
                 sum("e"."amount_minor") OVER "chain" AS "funded"
            FROM "ledger_entries" AS "e" JOIN "wallets" AS "w" ON "w"."id" = "e"."wallet_id"
           WHERE "e"."type" = 'FUND'
          WINDOW "chain" AS (PARTITION BY "w"."currency" ORDER BY "e"."created_at", "e"."id"
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS "f";--> statement-breakpoint
UPDATE "wallets" AS "w" SET "balance_minor" = -"c"."funded", "last_entry_sequence" = "c"."entries", "updated_at" = now()
  FROM (SELECT "wallet_id", sum("amount_minor") AS "funded", count(*) AS "entries"
          FROM "ledger_entries" WHERE "type" = 'FUND_COUNTER' GROUP BY "wallet_id") AS "c"
 WHERE "w"."id" = "c"."wallet_id";
