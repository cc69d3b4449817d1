-- UNLOGGED by hand (drizzle-kit has no such option): see rateLimitCounters in
-- src/access-schema.ts. Counters need no crash safety; increments then skip the WAL.
CREATE UNLOGGED TABLE "rate_limit_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"window_started_at" timestamp (6) with time zone NOT NULL,
	"window_ms" integer NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_limit_counters_key_length" CHECK (char_length("rate_limit_counters"."key") BETWEEN 1 AND 300),
	CONSTRAINT "rate_limit_counters_window_positive" CHECK ("rate_limit_counters"."window_ms" > 0),
	CONSTRAINT "rate_limit_counters_count_positive" CHECK ("rate_limit_counters"."count" > 0)
);
