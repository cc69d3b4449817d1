CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"job_id" uuid,
	"leased_until" timestamp (6) with time zone,
	"next_attempt_at" timestamp (6) with time zone,
	"last_response_code" integer,
	"last_latency_ms" integer,
	"last_error" text,
	"last_response_body" text,
	"window_started_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_endpoint_event_unique" UNIQUE("endpoint_id","event_id"),
	CONSTRAINT "webhook_deliveries_event_id_length" CHECK (char_length("webhook_deliveries"."event_id") BETWEEN 1 AND 128),
	CONSTRAINT "webhook_deliveries_attempts_non_negative" CHECK ("webhook_deliveries"."attempts" >= 0),
	CONSTRAINT "webhook_deliveries_pending_scheduled" CHECK ("webhook_deliveries"."status" <> 'pending' OR ("webhook_deliveries"."job_id" IS NOT NULL AND "webhook_deliveries"."next_attempt_at" IS NOT NULL)),
	CONSTRAINT "webhook_deliveries_error_length" CHECK (char_length("webhook_deliveries"."last_error") <= 500),
	CONSTRAINT "webhook_deliveries_latency_non_negative" CHECK ("webhook_deliveries"."last_latency_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_dispatch_cursors" (
	"stream" text PRIMARY KEY NOT NULL,
	"position" text NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_dispatch_cursors_stream_length" CHECK (char_length("webhook_dispatch_cursors"."stream") <= 64)
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"description" text,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_expires_at" timestamp (6) with time zone,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"deleted_at" timestamp (6) with time zone,
	CONSTRAINT "webhook_endpoints_url_http" CHECK ("webhook_endpoints"."url" ~ '^https?://' AND char_length("webhook_endpoints"."url") <= 2048),
	CONSTRAINT "webhook_endpoints_event_types_count" CHECK (cardinality("webhook_endpoints"."event_types") BETWEEN 1 AND 32),
	CONSTRAINT "webhook_endpoints_description_length" CHECK (char_length("webhook_endpoints"."description") <= 200),
	CONSTRAINT "webhook_endpoints_secret_format" CHECK ("webhook_endpoints"."secret" ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'),
	CONSTRAINT "webhook_endpoints_previous_secret_shape" CHECK (("webhook_endpoints"."previous_secret" IS NULL AND "webhook_endpoints"."previous_secret_expires_at" IS NULL)
        OR ("webhook_endpoints"."previous_secret" ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$' AND "webhook_endpoints"."previous_secret_expires_at" IS NOT NULL)),
	CONSTRAINT "webhook_endpoints_created_by_actor" CHECK ("webhook_endpoints"."created_by" ~ '^(key:[0-9a-f-]{36}|user:[0-9a-f-]{36}|cli|system|anonymous)$')
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_id_idx" ON "webhook_deliveries" USING btree ("endpoint_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_leased_idx" ON "webhook_deliveries" USING btree ("endpoint_id","leased_until") WHERE "webhook_deliveries"."leased_until" IS NOT NULL;