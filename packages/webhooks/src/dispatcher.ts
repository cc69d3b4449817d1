import { schema, type Db } from '@wallet/db';
import { eq, isNull, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';

import { subscribesTo, webhookBodyOf, type EventSource, type LedgerEvent } from './events';
import { enqueueAttempts, inTransaction, type AttemptJob } from './queue';

const { webhookDeliveries: deliveries, webhookDispatchCursors: cursors, webhookEndpoints } = schema;

const DELIVERY_ROWS_PER_STATEMENT = 1_000;

export interface DispatchRound {
  read: number;
  hasMore: boolean;
}

const NOTHING_READ: DispatchRound = { read: 0, hasMore: false };

/** The dispatcher's row in webhook_dispatch_cursors. */
export const EVENT_STREAM = 'events';

export interface DispatchDeps {
  db: Db;
  boss: PgBoss;
  source: EventSource;
  /** Events read per round, at most. */
  batchSize: number;
  /**
   * Backpressure. When every live endpoint has this many deliveries waiting for their first
   * attempt, a round reads nothing: the events wait in the outbox (durable, in order)
   * instead of being copied into deliveries and jobs faster than they can be sent. Under a
   * burst of writes the dispatcher then costs what the deliveries cost, not the writes'
   * rate; an endpoint that keeps up still gets every event at once, whatever a slow one
   * has waiting (so a dead endpoint delays no other). A round may pass the mark by a page.
   */
  aheadMax: number;
}

/**
 * One round: the events after the cursor become deliveries (one per event and
 * subscribed endpoint) and their first attempts' jobs, and the cursor moves past them,
 * all in one transaction. The cursor row is locked for it, SKIP LOCKED: while one API
 * process dispatches, the others' rounds find nothing to do instead of waiting. A crash
 * mid-round rolls it all back; the unique (endpoint, event) makes a replay harmless.
 * Returns how many events the round read, and whether more were ready past them.
 */
export async function dispatchOnce(deps: DispatchDeps): Promise<DispatchRound> {
  const { db, source } = deps;
  await db
    .insert(cursors)
    .values({ stream: EVENT_STREAM, position: source.initialCursor })
    .onConflictDoNothing();
  return inTransaction(db, async (tx) => {
    const [locked] = await tx.db
      .select({ position: cursors.position })
      .from(cursors)
      .where(eq(cursors.stream, EVENT_STREAM))
      .for('update', { skipLocked: true });
    if (!locked) return NOTHING_READ;
    if (!(await mayRead(tx.db, deps.aheadMax))) return NOTHING_READ;
    const page = await source.readAfter(locked.position, deps.batchSize);
    if (page.events.length === 0 && page.cursor === locked.position) return NOTHING_READ;
    // The endpoints after the events, never before: each statement sees what committed
    // before it began, so an endpoint registered before an event of the page committed is
    // among them. Read first, an endpoint registered in between (with its first events)
    // was missing, and the cursor moved past those events for good.
    const live = await tx.db
      .select({
        id: webhookEndpoints.id,
        eventTypes: webhookEndpoints.eventTypes,
        createdAt: webhookEndpoints.createdAt,
      })
      .from(webhookEndpoints)
      .where(isNull(webhookEndpoints.deletedAt));
    const rows = deliveriesOf(page.events, live);
    // In slices: one statement carries at most 65,535 parameters (seven per row here),
    // and a page of events times every endpoint could pass that.
    for (let start = 0; start < rows.length; start += DELIVERY_ROWS_PER_STATEMENT) {
      const slice = rows.slice(start, start + DELIVERY_ROWS_PER_STATEMENT);
      const made = await tx.db
        .insert(deliveries)
        .values(slice)
        .onConflictDoNothing({ target: [deliveries.endpointId, deliveries.eventId] })
        .returning({ id: deliveries.id, jobId: deliveries.jobId, at: deliveries.nextAttemptAt });
      const jobs: AttemptJob[] = made.map((row) => ({
        id: row.jobId ?? uuidv7(),
        deliveryId: row.id,
        startAfter: row.at ?? new Date(),
      }));
      await enqueueAttempts(deps.boss, tx, jobs);
    }
    await tx.db
      .update(cursors)
      .set({ position: page.cursor, updatedAt: sql`now()` })
      .where(eq(cursors.stream, EVENT_STREAM));
    return { read: page.events.length, hasMore: page.hasMore };
  });
}

/**
 * Whether the round may read the outbox (backpressure): when no endpoint is live (the
 * events are passed over), or when some live endpoint has fewer than `aheadMax`
 * deliveries waiting for their first attempt. Each count stops at the mark (LIMIT) and
 * reads only the partial index webhook_deliveries_first_attempts_idx: a round's check
 * costs at most the mark's rows per endpoint, however long the endpoint's history.
 */
async function mayRead(db: Db, aheadMax: number): Promise<boolean> {
  const [row] = await db.execute<{ may: boolean }>(sql`
    SELECT NOT EXISTS (SELECT 1 FROM ${webhookEndpoints} WHERE deleted_at IS NULL)
      OR EXISTS (
        SELECT 1 FROM ${webhookEndpoints} AS endpoint
        WHERE endpoint.deleted_at IS NULL AND (
          SELECT count(*) FROM (
            SELECT 1 FROM ${deliveries} AS delivery
            WHERE delivery.endpoint_id = endpoint.id AND delivery.status = 'pending'
              AND delivery.attempts = 0
            LIMIT ${aheadMax}
          ) AS waiting
        ) < ${aheadMax}
      ) AS may`);
  return row?.may === true;
}

interface LiveEndpoint {
  id: string;
  eventTypes: string[];
  createdAt: Date;
}

/**
 * An endpoint receives the events of the types it subscribed to that happened after it
 * was registered (as Stripe's do): one registered today is not sent last year's.
 */
function deliveriesOf(events: readonly LedgerEvent[], live: readonly LiveEndpoint[]) {
  const now = new Date();
  return events.flatMap((event) =>
    live
      .filter((endpoint) => subscribesTo(endpoint.eventTypes, event.type))
      // Skipped only when surely older: an event whose time is unknown is delivered.
      .filter((endpoint) => !(event.createdAt < endpoint.createdAt))
      .map((endpoint) => ({
        id: uuidv7(),
        endpointId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        payload: webhookBodyOf(event),
        jobId: uuidv7(),
        nextAttemptAt: now,
      })),
  );
}
