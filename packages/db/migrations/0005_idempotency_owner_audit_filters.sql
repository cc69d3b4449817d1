ALTER TYPE "public"."idempotent_operation" ADD VALUE 'CREATE_WALLET';--> statement-breakpoint
-- Edited by hand (drizzle-kit cannot name the old primary key, nor add a NOT NULL column
-- to a table with rows): idempotency keys become scoped to their owner. A key in use
-- before this migration belongs to the principal whose write spent it, read from that
-- write's audit row (entryId or transferId), so a client retrying across the upgrade
-- still gets its 409; a key spent by a direct ledger call (no audit row) is `system`'s,
-- the owner the ledger gives such calls.
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_pkey";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "owner" text DEFAULT 'system' NOT NULL;--> statement-breakpoint
UPDATE "idempotency_keys" AS "k" SET "owner" = "a"."actor"
  FROM "audit_log" AS "a"
  WHERE "a"."outcome" = 'success' AND "a"."action" IN ('wallets.fund', 'wallets.transfer')
    AND "k"."transaction_id"::text = COALESCE("a"."details"->>'entryId', "a"."details"->>'transferId');--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "owner" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("owner","key");--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_owner_actor" CHECK ("idempotency_keys"."owner" ~ '^(key:[0-9a-f-]{36}|user:[0-9a-f-]{36}|cli|system|anonymous)$');--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "audit_log_target_id_idx" ON "audit_log" USING btree ("target","id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");
