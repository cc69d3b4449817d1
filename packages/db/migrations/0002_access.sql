CREATE TYPE "public"."access_role" AS ENUM('read-only', 'operator', 'admin');--> statement-breakpoint
CREATE TYPE "public"."audit_outcome" AS ENUM('success', 'refused', 'denied');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" "access_role" NOT NULL,
	"secret_hash" char(64) NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp (6) with time zone,
	"last_used_at" timestamp (6) with time zone,
	CONSTRAINT "api_keys_name_length" CHECK (char_length("api_keys"."name") BETWEEN 1 AND 64),
	CONSTRAINT "api_keys_secret_hash_hex" CHECK ("api_keys"."secret_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "api_keys_created_by_actor" CHECK ("api_keys"."created_by" ~ '^(key:[0-9a-f-]{36}|user:[0-9a-f-]{36}|cli|system|anonymous)$'),
	CONSTRAINT "api_keys_revoked_after_created" CHECK ("api_keys"."revoked_at" IS NULL OR "api_keys"."revoked_at" >= "api_keys"."created_at")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"outcome" "audit_outcome" NOT NULL,
	"request_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_log_actor_format" CHECK ("audit_log"."actor" ~ '^(key:[0-9a-f-]{36}|user:[0-9a-f-]{36}|cli|system|anonymous)$'),
	CONSTRAINT "audit_log_action_format" CHECK ("audit_log"."action" ~ '^[a-z][A-Za-z]{0,31}(\.[a-z][A-Za-z]{0,31}){1,2}$'),
	CONSTRAINT "audit_log_target_length" CHECK (char_length("audit_log"."target") BETWEEN 1 AND 200),
	CONSTRAINT "audit_log_request_id_length" CHECK (char_length("audit_log"."request_id") BETWEEN 1 AND 128),
	CONSTRAINT "audit_log_details_object" CHECK (jsonb_typeof("audit_log"."details") = 'object' AND octet_length("audit_log"."details"::text) <= 4096)
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "access_role" NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"disabled_at" timestamp (6) with time zone,
	CONSTRAINT "operators_username_unique" UNIQUE("username"),
	CONSTRAINT "operators_username_format" CHECK ("operators"."username" ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
	CONSTRAINT "operators_password_hash_phc" CHECK ("operators"."password_hash" ~ '^\$[a-z0-9-]+\$' AND char_length("operators"."password_hash") BETWEEN 32 AND 512),
	CONSTRAINT "operators_created_by_actor" CHECK ("operators"."created_by" ~ '^(key:[0-9a-f-]{36}|user:[0-9a-f-]{36}|cli|system|anonymous)$')
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" char(64) PRIMARY KEY NOT NULL,
	"operator_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (6) with time zone NOT NULL,
	"revoked_at" timestamp (6) with time zone,
	CONSTRAINT "sessions_id_hex" CHECK ("sessions"."id" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "sessions_csrf_token_length" CHECK (char_length("sessions"."csrf_token") BETWEEN 32 AND 128),
	CONSTRAINT "sessions_expiry_after_creation" CHECK ("sessions"."expires_at" > "sessions"."created_at")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_operator_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log" USING btree ("actor","id");--> statement-breakpoint
CREATE INDEX "audit_log_action_id_idx" ON "audit_log" USING btree ("action","id");--> statement-breakpoint
CREATE INDEX "sessions_operator_idx" ON "sessions" USING btree ("operator_id");