CREATE TYPE "public"."ledger_entry_status" AS ENUM('COMPLETED');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_type" AS ENUM('FUND', 'TRANSFER_IN', 'TRANSFER_OUT');--> statement-breakpoint
CREATE TYPE "public"."idempotent_operation" AS ENUM('FUND', 'TRANSFER');--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"operation" "idempotent_operation" NOT NULL,
	"request_fingerprint" char(64) NOT NULL,
	"transaction_id" uuid NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_key_length" CHECK (char_length("idempotency_keys"."key") BETWEEN 1 AND 255)
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"wallet_id" uuid NOT NULL,
	"sequence" bigint NOT NULL,
	"previous_sequence" bigint,
	"type" "ledger_entry_type" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"balance_before_minor" bigint NOT NULL,
	"balance_after_minor" bigint NOT NULL,
	"status" "ledger_entry_status" DEFAULT 'COMPLETED' NOT NULL,
	"description" text,
	"counterparty_wallet_id" uuid,
	"transfer_id" uuid,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_wallet_sequence_unique" UNIQUE("wallet_id","sequence"),
	CONSTRAINT "ledger_entries_wallet_sequence_balance_unique" UNIQUE("wallet_id","sequence","balance_after_minor"),
	CONSTRAINT "ledger_entries_transfer_leg_unique" UNIQUE("transfer_id","type"),
	CONSTRAINT "ledger_entries_chain_start" CHECK (("ledger_entries"."sequence" = 1 AND "ledger_entries"."previous_sequence" IS NULL AND "ledger_entries"."balance_before_minor" = 0)
        OR ("ledger_entries"."sequence" > 1 AND "ledger_entries"."previous_sequence" = "ledger_entries"."sequence" - 1)),
	CONSTRAINT "ledger_entries_amount_positive" CHECK ("ledger_entries"."amount_minor" > 0),
	CONSTRAINT "ledger_entries_balances_in_range" CHECK ("ledger_entries"."balance_before_minor" >= 0 AND "ledger_entries"."balance_after_minor" >= 0
        AND "ledger_entries"."balance_after_minor" <= 999999999999999),
	CONSTRAINT "ledger_entries_arithmetic" CHECK ("ledger_entries"."balance_after_minor" = CASE WHEN "ledger_entries"."type" = 'TRANSFER_OUT'
        THEN "ledger_entries"."balance_before_minor" - "ledger_entries"."amount_minor"
        ELSE "ledger_entries"."balance_before_minor" + "ledger_entries"."amount_minor" END),
	CONSTRAINT "ledger_entries_counterparty_shape" CHECK (("ledger_entries"."type" = 'FUND' AND "ledger_entries"."counterparty_wallet_id" IS NULL AND "ledger_entries"."transfer_id" IS NULL)
        OR ("ledger_entries"."type" <> 'FUND' AND "ledger_entries"."counterparty_wallet_id" IS NOT NULL
          AND "ledger_entries"."transfer_id" IS NOT NULL AND "ledger_entries"."counterparty_wallet_id" <> "ledger_entries"."wallet_id")),
	CONSTRAINT "ledger_entries_description_length" CHECK (char_length("ledger_entries"."description") <= 500)
);
--> statement-breakpoint
CREATE TABLE "wallets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"currency" char(3) NOT NULL,
	"balance_minor" bigint DEFAULT 0 NOT NULL,
	"last_entry_sequence" bigint,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallets_balance_non_negative" CHECK ("wallets"."balance_minor" >= 0),
	CONSTRAINT "wallets_balance_within_limit" CHECK ("wallets"."balance_minor" <= 999999999999999),
	CONSTRAINT "wallets_currency_iso_code" CHECK ("wallets"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "wallets_empty_until_first_entry" CHECK ("wallets"."last_entry_sequence" IS NOT NULL OR "wallets"."balance_minor" = 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_wallet_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_counterparty_fk" FOREIGN KEY ("counterparty_wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_chain_fk" FOREIGN KEY ("wallet_id","previous_sequence","balance_before_minor") REFERENCES "public"."ledger_entries"("wallet_id","sequence","balance_after_minor") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallets" ADD CONSTRAINT "wallets_balance_matches_latest_entry_fk" FOREIGN KEY ("id","last_entry_sequence","balance_minor") REFERENCES "public"."ledger_entries"("wallet_id","sequence","balance_after_minor") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_wallet_type_sequence_idx" ON "ledger_entries" USING btree ("wallet_id","type","sequence");