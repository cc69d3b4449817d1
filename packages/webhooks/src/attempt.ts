import { WEBHOOK_ERROR_LENGTH_MAX } from '@wallet/contract';
import { schema, type Db } from '@wallet/db';
import { and, count, eq, gt, min, ne, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';

import { enqueueAttempts, inTransaction } from './queue';
import { retryDelayMs, withinRetryWindow, type RetrySchedule } from './schedule';
import type { AttemptOutcome, Sender } from './send';
import { signedHeaders } from './signing';
import { checkWebhookUrl, type Resolver } from './url-guard';

const { webhookDeliveries: deliveries, webhookEndpoints: endpoints } = schema;

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
  payload: unknown;
  windowStartedAt: Date;
  url: string;
  secrets: string[];
}

type Claim = { kind: 'claimed'; claimed: Claimed } | { kind: 'nothing' | 'deferred' };

/**
 * One job, one attempt: claim the delivery (only the job the delivery names may, and only
 * while no other attempt holds its lease), send it, record the outcome and schedule the
 * next attempt in the same transaction. What a job does is decided by the delivery row,
 * so a job repeated by pg-boss (its worker died) or superseded (a manual retry) either
 * finds its attempt still to make or does nothing: one attempt is never in flight twice.
 */
export async function runAttempt(deps: AttemptDeps, jobId: string, deliveryId: string) {
  const claim = await claimAttempt(deps, jobId, deliveryId);
  if (claim.kind !== 'claimed') return claim.kind;
  const outcome = await deliver(deps, claim.claimed);
  await recordOutcome(deps, jobId, claim.claimed, outcome);
  return isSuccess(outcome) ? 'succeeded' : 'failed';
}

function isSuccess(outcome: AttemptOutcome): boolean {
  return outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
}

async function claimAttempt(deps: AttemptDeps, jobId: string, deliveryId: string): Promise<Claim> {
  const { settings } = deps;
  return inTransaction(deps.db, async (tx) => {
    // The endpoint's row lock makes the count of its attempts in flight and this claim
    // one step, whichever process claims: the cap holds without read-then-check.
    const [row] = await tx.db
      .select({ delivery: deliveries, endpoint: endpoints, now: sql<Date>`now()`.mapWith(toDate) })
      .from(deliveries)
      .innerJoin(endpoints, eq(endpoints.id, deliveries.endpointId))
      .where(eq(deliveries.id, deliveryId))
      .for('update', { of: [endpoints, deliveries] });
    if (!row) return { kind: 'nothing' };
    const { delivery, endpoint, now } = row;
    if (delivery.status !== 'pending' || delivery.jobId !== jobId) return { kind: 'nothing' };
    if (endpoint.deletedAt !== null) return { kind: 'nothing' };
    const heldUntil =
      delivery.leasedUntil && delivery.leasedUntil > now ? delivery.leasedUntil : null;
    const busyFor = heldUntil
      ? 0
      : await busyDelayMs(tx.db, endpoint.id, deliveryId, now, settings);
    if (heldUntil !== null || busyFor > 0) {
      const startAfter = heldUntil ?? new Date(now.getTime() + busyFor);
      const nextJob = uuidv7();
      await tx.db
        .update(deliveries)
        .set({ jobId: nextJob, nextAttemptAt: startAfter, updatedAt: now })
        .where(eq(deliveries.id, deliveryId));
      await enqueueAttempts(deps.boss, tx, [{ id: nextJob, deliveryId, startAfter }]);
      return { kind: 'deferred' };
    }
    const attempt = delivery.attempts + 1;
    await tx.db
      .update(deliveries)
      .set({
        attempts: attempt,
        leasedUntil: new Date(now.getTime() + settings.leaseMs),
        updatedAt: now,
      })
      .where(eq(deliveries.id, deliveryId));
    const secrets = [endpoint.secret];
    if (
      endpoint.previousSecret &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt > now
    ) {
      secrets.push(endpoint.previousSecret);
    }
    return {
      kind: 'claimed',
      claimed: {
        deliveryId,
        attempt,
        eventId: delivery.eventId,
        payload: delivery.payload,
        windowStartedAt: delivery.windowStartedAt,
        url: endpoint.url,
        secrets,
      },
    };
  });
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

/** The shortest wait before a delivery asks again for a slot of a busy endpoint. */
const BUSY_DELAY_MIN_MS = 10;

/**
 * 0 when the endpoint has a free slot; else how long the delivery waits before asking
 * again: as long as the oldest attempt in flight has already taken (bounded by the
 * attempt timeout), with jitter. A fast endpoint's burst waits milliseconds; a hanging
 * endpoint's backlog asks about once per timeout, instead of spinning.
 */
async function busyDelayMs(
  db: Db,
  endpointId: string,
  exceptDeliveryId: string,
  now: Date,
  settings: AttemptSettings,
): Promise<number> {
  const [row] = await db
    .select({ n: count(), oldestUntil: min(deliveries.leasedUntil) })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.endpointId, endpointId),
        ne(deliveries.id, exceptDeliveryId),
        gt(deliveries.leasedUntil, now),
      ),
    );
  if (!row || row.n < settings.endpointConcurrencyMax || !row.oldestUntil) return 0;
  const oldestAgeMs = now.getTime() - (row.oldestUntil.getTime() - settings.leaseMs);
  const waitMs = Math.min(Math.max(oldestAgeMs, BUSY_DELAY_MIN_MS), settings.timeoutMs);
  return Math.round(waitMs * (0.5 + Math.random()));
}

/** Checks the URL (SSRF) on every attempt, since DNS may have changed; then sends. */
async function deliver(deps: AttemptDeps, claimed: Claimed): Promise<AttemptOutcome> {
  const { settings } = deps;
  const body = JSON.stringify(claimed.payload);
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
