import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_DESCRIPTION_LENGTH_MAX,
  WEBHOOK_ERROR_LENGTH_MAX,
  WEBHOOK_EVENT_TYPES_MAX,
  WEBHOOK_URL_LENGTH_MAX,
} from '@wallet/contract';
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

import { ACTOR_PATTERN } from './access-schema';

/**
 * Webhooks (packages/webhooks): the endpoints admins register, one delivery per event
 * and endpoint, and the dispatcher's place in the event stream. The attempts themselves
 * are pg-boss jobs (schema `pgboss`, made by pg-boss at start); these tables are the
 * truth they act on, so a lost or repeated job can never deliver an attempt twice.
 */

const timestamptz = (name: string) =>
  timestamp(name, { withTimezone: true, mode: 'date', precision: 6 });

export const webhookDeliveryStatus = pgEnum('webhook_delivery_status', WEBHOOK_DELIVERY_STATUSES);

/** Standard Webhooks' secret format: `whsec_` and the base64 of 24 to 64 random bytes. */
const SECRET_PATTERN = sql.raw(`'^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'`);

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    /** UUIDv7: time-ordered, so lists are newest first by id. */
    id: uuid('id').primaryKey(),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    description: text('description'),
    /**
     * The signing secret itself: an HMAC key must be at hand to sign (a hash would not
     * do). It leaves the service once, in the answer that created or rotated it.
     */
    secret: text('secret').notNull(),
    /** The secret a rotation replaced; still signs (beside the new one) until it expires. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamptz('previous_secret_expires_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    /** Deleted endpoints are kept for their deliveries' history, and never called again. */
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    check(
      'webhook_endpoints_url_http',
      sql`${t.url} ~ '^https?://' AND char_length(${t.url}) <= ${sql.raw(String(WEBHOOK_URL_LENGTH_MAX))}`,
    ),
    check(
      'webhook_endpoints_event_types_count',
      sql`cardinality(${t.eventTypes}) BETWEEN 1 AND ${sql.raw(String(WEBHOOK_EVENT_TYPES_MAX))}`,
    ),
    check(
      'webhook_endpoints_description_length',
      sql`char_length(${t.description}) <= ${sql.raw(String(WEBHOOK_DESCRIPTION_LENGTH_MAX))}`,
    ),
    check('webhook_endpoints_secret_format', sql`${t.secret} ~ ${SECRET_PATTERN}`),
    check(
      'webhook_endpoints_previous_secret_shape',
      sql`(${t.previousSecret} IS NULL AND ${t.previousSecretExpiresAt} IS NULL)
        OR (${t.previousSecret} ~ ${SECRET_PATTERN} AND ${t.previousSecretExpiresAt} IS NOT NULL)`,
    ),
    check('webhook_endpoints_created_by_actor', sql`${t.createdBy} ~ ${ACTOR_PATTERN}`),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    /** UUIDv7. */
    id: uuid('id').primaryKey(),
    endpointId: uuid('endpoint_id').notNull(),
    /** The event's id: the `webhook-id` header, what receivers deduplicate on. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The body sent, fixed when the delivery is made: every attempt sends the same bytes. */
    payload: jsonb('payload').notNull(),
    status: webhookDeliveryStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * The pg-boss job allowed to make the next attempt. A job whose id is not this one
     * (a superseded schedule, a manual retry's predecessor) finds nothing to do.
     */
    jobId: uuid('job_id'),
    /** While an attempt is in flight: until when its worker owns it (then another may). */
    leasedUntil: timestamptz('leased_until'),
    nextAttemptAt: timestamptz('next_attempt_at'),
    /** When the last attempt's outcome was recorded (its end); null before any. */
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastResponseCode: integer('last_response_code'),
    lastLatencyMs: integer('last_latency_ms'),
    lastError: text('last_error'),
    lastResponseBody: text('last_response_body'),
    /** When the retry window began: the delivery's creation, or its last manual retry. */
    windowStartedAt: timestamptz('window_started_at').notNull().defaultNow(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'webhook_deliveries_endpoint_fk',
      columns: [t.endpointId],
      foreignColumns: [webhookEndpoints.id],
    }),
    // An event reaches an endpoint once: the dispatcher's insert is idempotent on it.
    unique('webhook_deliveries_endpoint_event_unique').on(t.endpointId, t.eventId),
    check('webhook_deliveries_event_id_length', sql`char_length(${t.eventId}) BETWEEN 1 AND 128`),
    check('webhook_deliveries_attempts_non_negative', sql`${t.attempts} >= 0`),
    check(
      'webhook_deliveries_pending_scheduled',
      sql`${t.status} <> 'pending' OR (${t.jobId} IS NOT NULL AND ${t.nextAttemptAt} IS NOT NULL)`,
    ),
    check(
      'webhook_deliveries_error_length',
      sql`char_length(${t.lastError}) <= ${sql.raw(String(WEBHOOK_ERROR_LENGTH_MAX))}`,
    ),
    check('webhook_deliveries_latency_non_negative', sql`${t.lastLatencyMs} >= 0`),
    // An attempt is counted when it is claimed, before its outcome is recorded.
    check(
      'webhook_deliveries_attempted_before_last_attempt',
      sql`${t.lastAttemptAt} IS NULL OR ${t.attempts} > 0`,
    ),
    // An endpoint's deliveries, newest first (the admin's list) and in flight (the cap).
    index('webhook_deliveries_endpoint_id_idx').on(t.endpointId, t.id),
    index('webhook_deliveries_endpoint_leased_idx')
      .on(t.endpointId, t.leasedUntil)
      .where(sql`${t.leasedUntil} IS NOT NULL`),
    // An endpoint's deliveries waiting for their first attempt: the dispatcher's backpressure.
    index('webhook_deliveries_first_attempts_idx')
      .on(t.endpointId)
      .where(sql`${t.status} = 'pending' AND ${t.attempts} = 0`),
  ],
);

/**
 * Where the dispatcher is in the event stream: one row per stream (`events`). Its row
 * lock is what lets one API process dispatch at a time; the position moves in the
 * transaction that makes the deliveries, so no event is skipped or made twice.
 */
export const webhookDispatchCursors = pgTable(
  'webhook_dispatch_cursors',
  {
    stream: text('stream').primaryKey(),
    position: text('position').notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('webhook_dispatch_cursors_stream_length', sql`char_length(${t.stream}) <= 64`)],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
