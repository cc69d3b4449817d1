import { WEBHOOK_ERROR_LENGTH_MAX } from '@wallet/contract';
import { reserveConnection, schema, type Db } from '@wallet/db';
import { and, eq, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';

import { enqueueAttempts, inTransaction } from './queue';
import { retryDelayMs, withinRetryWindow, type RetrySchedule } from './schedule';
import type { AttemptOutcome, Sender } from './send';
import { signedHeaders } from './signing';
import { checkWebhookUrl, type Resolver } from './url-guard';

const { webhookDeliveries: deliveries } = schema;

export interface AttemptSettings {
  timeoutMs: number;
  /** How long a claimed attempt is its worker's: past it, another worker may take over. */
  leaseMs: number;
  /** Attempts in flight at once for one endpoint, over every process. */
  endpointConcurrencyMax: number;
  schedule: RetrySchedule;
  allowPrivateUrls: boolean;
  resolve?: Resolver;
}

export interface AttemptDeps {
  db: Db;
  boss: PgBoss;
  sender: Sender;
  settings: AttemptSettings;
  now?: () => Date;
}

interface Claimed {
  deliveryId: string;
  attempt: number;
  eventId: string;
  /** The stored body, as text: every attempt sends the same bytes. */
  body: string;
  windowStartedAt: Date;
  url: string;
  secrets: string[];
}

type Claim = { kind: 'claimed'; claimed: Claimed } | { kind: 'nothing' | 'deferred' | 'leased' };

export type AttemptResult = 'succeeded' | 'failed' | Exclude<Claim['kind'], 'claimed'>;

/**
 * One job, one attempt: claim the delivery (only the job the delivery names may, and only
 * while no other attempt holds its lease), send it, record the outcome and schedule the
 * next attempt in the same transaction. What a job does is decided by the delivery row,
 * so a job repeated by pg-boss (its worker died) or superseded (a manual retry) either
 * finds its attempt still to make or does nothing: one attempt is never in flight twice.
 */
export async function runAttempt(
  deps: AttemptDeps,
  jobId: string,
  deliveryId: string,
): Promise<AttemptResult> {
  const claim = await claimAttempt(deps, jobId, deliveryId);
  if (claim.kind !== 'claimed') return claim.kind;
  const outcome = await deliver(deps, claim.claimed);
  await recordOutcome(deps, jobId, claim.claimed, outcome);
  return isSuccess(outcome) ? 'succeeded' : 'failed';
}

function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
}

/**
 * Taken first, so that the count of the endpoint's attempts in flight is one at a time.
 * NO KEY UPDATE, not UPDATE: it must not conflict with the FOR KEY SHARE that the foreign
 * key check of every new delivery takes on its endpoint, or the dispatcher's inserts and
 * the claims would wait for each other's transactions.
 */
const LOCK_ENDPOINT = `SELECT 1 FROM webhook_endpoints
  WHERE id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = $1) FOR NO KEY UPDATE`;

/**
 * Runs after the endpoint's lock, so with a snapshot that sees every claim committed
 * before it: counts the endpoint's attempts in flight and claims this one if a slot is
 * free, the delivery still pending, named by this job and not leased. Returns the
 * delivery's state either way, for the caller to tell why not.
 */
const CLAIM = `WITH target AS (
    SELECT d.id, d.status, d.job_id::text AS job_id, d.leased_until, d.event_id,
      d.payload::text AS body, d.window_started_at, e.id AS endpoint_id, e.url, e.secret,
      e.previous_secret, e.previous_secret_expires_at > now() AS previous_secret_valid,
      e.deleted_at IS NOT NULL AS deleted
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
    WHERE d.id = $1
  ), busy AS (
    SELECT count(*)::int AS in_flight, min(o.leased_until) AS oldest_until
    FROM webhook_deliveries o JOIN target t ON o.endpoint_id = t.endpoint_id
    WHERE o.leased_until > now() AND o.id <> $1
  ), claimed AS (
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1, leased_until = now() + $3 * interval '1 millisecond',
      updated_at = now()
    FROM target t, busy b
    WHERE d.id = t.id AND t.status = 'pending' AND t.job_id = $2 AND NOT t.deleted
      AND (t.leased_until IS NULL OR t.leased_until <= now()) AND b.in_flight < $4
    RETURNING d.attempts
  )
  SELECT t.*, b.in_flight, b.oldest_until, now() AS now,
    (SELECT attempts FROM claimed) AS claimed_attempt
  FROM target t CROSS JOIN busy b`;

interface ClaimRow {
  status: string;
  job_id: string | null;
  leased_until: string | null;
  event_id: string;
  body: string;
  window_started_at: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_valid: boolean | null;
  deleted: boolean;
  in_flight: number;
  oldest_until: string | null;
  now: string;
  claimed_attempt: number | null;
}

type Unsafe = (text: string, values: unknown[]) => Promise<unknown[]>;

/**
 * BEGIN, the endpoint's lock, the claim and COMMIT go out together (one round trip), so
 * the endpoint's lock is held for the server's work only: claims for one endpoint from
 * every worker queue on it, and a lock held over several round trips would make that
 * queue the endpoint's throughput.
 */
async function claimRow(db: Db, values: unknown[]): Promise<ClaimRow | undefined> {
  const connection = await reserveConnection(db);
  const { $client: client } = connection.db as unknown as { $client: { unsafe: Unsafe } };
  try {
    const steps = [
      connection.command('BEGIN'),
      client.unsafe(LOCK_ENDPOINT, [values[0]]),
      client.unsafe(CLAIM, values),
      connection.command('COMMIT'),
    ] as const;
    const settled = await Promise.allSettled(steps);
    const failed = settled.find((step) => step.status === 'rejected');
    if (failed) throw failed.reason;
    const rows = (settled[2] as PromiseFulfilledResult<unknown[]>).value as ClaimRow[];
    return rows[0];
  } finally {
    connection.release();
  }
}

async function claimAttempt(deps: AttemptDeps, jobId: string, deliveryId: string): Promise<Claim> {
  const { settings } = deps;
  const values = [deliveryId, jobId, settings.leaseMs, settings.endpointConcurrencyMax];
  const row = await claimRow(deps.db, values);
  if (!row) return { kind: 'nothing' };
  if (row.claimed_attempt !== null) {
    const secrets = [row.secret];
    if (row.previous_secret && row.previous_secret_valid) secrets.push(row.previous_secret);
    return {
      kind: 'claimed',
      claimed: {
        deliveryId,
        attempt: row.claimed_attempt,
        eventId: row.event_id,
        body: row.body,
        windowStartedAt: new Date(row.window_started_at),
        url: row.url,
        secrets,
      },
    };
  }
  if (row.status !== 'pending' || row.job_id !== jobId || row.deleted) return { kind: 'nothing' };
  const now = new Date(row.now);
  // Another worker holds this attempt (or held it and died: the lease runs out). The job
  // keeps the delivery and comes back later (pg-boss's retry), without touching the row
  // the attempt in flight will record into.
  if (row.leased_until !== null && new Date(row.leased_until) > now) return { kind: 'leased' };
  const startAfter = new Date(now.getTime() + busyDelayMs(row, now, settings));
  await deferAttempt(deps, jobId, deliveryId, startAfter);
  return { kind: 'deferred' };
}

/** The shortest wait before a delivery asks again for a slot of a busy endpoint. */
const BUSY_DELAY_MIN_MS = 10;

/**
 * How long a delivery waits before asking again for a slot of its busy endpoint: as long
 * as the oldest attempt in flight has already taken (bounded by the attempt timeout),
 * with jitter. A fast endpoint's burst waits milliseconds; a hanging endpoint's backlog
 * asks about once per timeout instead of spinning.
 */
function busyDelayMs(row: ClaimRow, now: Date, settings: AttemptSettings): number {
  const oldestUntil = row.oldest_until === null ? now : new Date(row.oldest_until);
  const oldestAgeMs = now.getTime() - (oldestUntil.getTime() - settings.leaseMs);
  const waitMs = Math.min(Math.max(oldestAgeMs, BUSY_DELAY_MIN_MS), settings.timeoutMs);
  return Math.round(waitMs * (0.5 + Math.random()));
}

/** A new job for later takes over the delivery, if this job still holds it. */
async function deferAttempt(deps: AttemptDeps, jobId: string, deliveryId: string, at: Date) {
  await inTransaction(deps.db, async (tx) => {
    const nextJob = uuidv7();
    const moved = await tx.db
      .update(deliveries)
      .set({ jobId: nextJob, nextAttemptAt: at, updatedAt: sql`now()` })
      .where(
        and(
          eq(deliveries.id, deliveryId),
          eq(deliveries.jobId, jobId),
          eq(deliveries.status, 'pending'),
        ),
      )
      .returning({ id: deliveries.id });
    if (moved.length === 1) {
      await enqueueAttempts(deps.boss, tx, [{ id: nextJob, deliveryId, startAfter: at }]);
    }
  });
}

/** Checks the URL (SSRF) on every attempt, since DNS may have changed; then sends. */
async function deliver(deps: AttemptDeps, claimed: Claimed): Promise<AttemptOutcome> {
  const { settings } = deps;
  const { body } = claimed;
  let target;
  try {
    target = await checkWebhookUrl(claimed.url, {
      allowPrivate: settings.allowPrivateUrls,
      resolve: settings.resolve,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { statusCode: null, responseBody: null, error: `refused: ${message}`, latencyMs: 0 };
  }
  const headers = signedHeaders(claimed.secrets, claimed.eventId, body, new Date());
  return deps.sender.send({ target, headers, body, timeoutMs: settings.timeoutMs });
}

async function recordOutcome(
  deps: AttemptDeps,
  jobId: string,
  claimed: Claimed,
  outcome: AttemptOutcome,
): Promise<void> {
  const { settings } = deps;
  await inTransaction(deps.db, async (tx) => {
    const now = (deps.now ?? (() => new Date()))();
    const result = {
      lastAttemptAt: now,
      lastResponseCode: outcome.statusCode,
      lastLatencyMs: outcome.latencyMs,
      lastError: outcome.error?.slice(0, WEBHOOK_ERROR_LENGTH_MAX) ?? null,
      lastResponseBody: outcome.responseBody,
      leasedUntil: null,
      updatedAt: now,
    };
    const ours = and(
      eq(deliveries.id, claimed.deliveryId),
      eq(deliveries.jobId, jobId),
      eq(deliveries.attempts, claimed.attempt),
      eq(deliveries.status, 'pending'),
    );
    if (isSuccess(outcome)) {
      await tx.db
        .update(deliveries)
        .set({ ...result, status: 'succeeded', nextAttemptAt: null })
        .where(ours);
      return;
    }
    if (!withinRetryWindow(settings.schedule, claimed.windowStartedAt, now)) {
      await tx.db
        .update(deliveries)
        .set({ ...result, status: 'failed', nextAttemptAt: null })
        .where(ours);
      return;
    }
    const nextJob = uuidv7();
    const startAfter = new Date(now.getTime() + retryDelayMs(settings.schedule, claimed.attempt));
    const updated = await tx.db
      .update(deliveries)
      .set({ ...result, jobId: nextJob, nextAttemptAt: startAfter })
      .where(ours)
      .returning({ id: deliveries.id });
    // Not ours any more (a manual retry superseded this job): its job is already queued.
    if (updated.length === 1) {
      await enqueueAttempts(deps.boss, tx, [
        { id: nextJob, deliveryId: claimed.deliveryId, startAfter },
      ]);
    }
  });
}
