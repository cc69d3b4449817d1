CREATE TABLE "ledger_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"transaction_xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"position" bigserial NOT NULL,
	"type" text NOT NULL,
	"wallet_id" uuid NOT NULL,
	"wallet_sequence" bigint NOT NULL,
	"counterparty_wallet_id" uuid,
	"counterparty_sequence" bigint,
	"transaction_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint,
	"payload" jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_events_type_shape" CHECK ("ledger_events"."type" ~ '^[a-z]+([.][a-z_]+)+$'),
	CONSTRAINT "ledger_events_sequence_non_negative" CHECK ("ledger_events"."wallet_sequence" >= 0),
	CONSTRAINT "ledger_events_counterparty_shape" CHECK (("ledger_events"."counterparty_wallet_id" IS NULL AND "ledger_events"."counterparty_sequence" IS NULL)
        OR ("ledger_events"."counterparty_wallet_id" IS NOT NULL AND "ledger_events"."counterparty_sequence" > 0
          AND "ledger_events"."counterparty_wallet_id" <> "ledger_events"."wallet_id")),
	CONSTRAINT "ledger_events_amount_positive" CHECK ("ledger_events"."amount_minor" IS NULL OR "ledger_events"."amount_minor" > 0),
	CONSTRAINT "ledger_events_payload_object" CHECK (jsonb_typeof("ledger_events"."payload") = 'object')
);
--> statement-breakpoint
ALTER TABLE "ledger_events" ADD CONSTRAINT "ledger_events_wallet_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_events" ADD CONSTRAINT "ledger_events_counterparty_fk" FOREIGN KEY ("counterparty_wallet_id") REFERENCES "public"."wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_events_order_unique" ON "ledger_events" USING btree ("transaction_xid","position");--> statement-breakpoint
-- ---------------------------------------------------------------- hand-written (h-events)
-- Written by hand (drizzle-kit does not write triggers); carry this block over as it is.
-- The outbox is history, as the entries are: an event, once committed, is never
-- rewritten or removed (consumers deduplicate on its id and resume from its cursor).
CREATE FUNCTION "ledger_events_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger events are append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "ledger_events_append_only"
  BEFORE UPDATE OR DELETE ON "ledger_events"
  FOR EACH ROW EXECUTE FUNCTION "ledger_events_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "ledger_events_no_truncate"
  BEFORE TRUNCATE ON "ledger_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_events_refuse_change"();--> statement-breakpoint
-- A wake-up for the API processes' live feeds (LISTEN ledger_events): sent by the
-- inserting transaction, delivered only if it commits. Once per statement, not per row,
-- and PostgreSQL folds a transaction's equal notifications into one. It carries nothing:
-- the feed reads the outbox by its cursor, so a notification lost (a listener
-- reconnecting) loses no event.
CREATE FUNCTION "ledger_events_notify"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('ledger_events', '');
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "ledger_events_notify"
  AFTER INSERT ON "ledger_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_events_notify"();
