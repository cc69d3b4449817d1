import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import { reserveConnection } from '@wallet/db';

import { runAttempt } from '../src/attempt';
import { dispatchOnce, type DispatchDeps } from '../src/dispatcher';
import { startQueue } from '../src/queue';
import { RETRY_SCHEDULE_DEFAULTS } from '../src/schedule';
import { createSender } from '../src/send';
import {
  emitEvents,
  startReceiver,
  SYSTEM,
  tableSource,
  useTestDatabase,
  useWebhooks,
} from './support';

const { database } = await useTestDatabase();
// The loops are never started: each round is run by the test, one at a time.
const { webhooks } = useWebhooks(database);
const boss = await startQueue(database.db, { expireInSeconds: 60, maintenanceIntervalSeconds: 60 });
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
});

const AHEAD_MAX = 4;
const deps: DispatchDeps = {
  db: database.db,
  boss,
  source: tableSource(database),
  batchSize: AHEAD_MAX,
  aheadMax: AHEAD_MAX,
};

async function firstAttemptsWaiting(endpointId: string): Promise<number> {
  const [row] = await database.db.execute<{ waiting: number }>(sql`
    SELECT count(*)::int AS waiting FROM webhook_deliveries
    WHERE endpoint_id = ${endpointId} AND status = 'pending' AND attempts = 0`);
  return row?.waiting ?? -1;
}

async function deliveriesOf(endpointId: string): Promise<number> {
  const [row] = await database.db.execute<{ made: number }>(sql`
    SELECT count(*)::int AS made FROM webhook_deliveries WHERE endpoint_id = ${endpointId}`);
  return row?.made ?? -1;
}

const endpoint = (name: string) => ({ url: `http://127.0.0.1:9/${name}`, events: ['*' as const] });

describe('the dispatcher under backpressure', () => {
  it('stops reading the outbox while every endpoint has its first attempts waiting, and reads on when one has room', async () => {
    const slow = await webhooks.create(endpoint('slow'), SYSTEM);
    await emitEvents(database, 3 * AHEAD_MAX);

    expect(await dispatchOnce(deps)).toEqual({ read: AHEAD_MAX, hasMore: true });
    expect(await dispatchOnce(deps)).toEqual({ read: 0, hasMore: false });
    expect(await firstAttemptsWaiting(slow.webhook.id)).toBe(AHEAD_MAX);

    // A first attempt made (the worker's claim counts it): room again, for a whole page.
    await database.db.execute(sql`UPDATE webhook_deliveries SET attempts = 1
      WHERE id = (SELECT id FROM webhook_deliveries WHERE endpoint_id = ${slow.webhook.id}
        ORDER BY id LIMIT 1)`);
    expect((await dispatchOnce(deps)).read).toBe(AHEAD_MAX);
    expect(await firstAttemptsWaiting(slow.webhook.id)).toBe(2 * AHEAD_MAX - 1);
  });

  it('keeps dispatching to an endpoint that keeps up, whatever a slow one has waiting', async () => {
    const fast = await webhooks.create(endpoint('fast'), SYSTEM);
    const newEvents = 2 * AHEAD_MAX;
    await emitEvents(database, newEvents);

    for (let round = 0; round < 10; round++) {
      const { read } = await dispatchOnce(deps);
      // The fast endpoint's receiver answers at once: its deliveries succeed between rounds.
      await database.db.execute(sql`UPDATE webhook_deliveries
        SET status = 'succeeded', attempts = 1, next_attempt_at = NULL
        WHERE endpoint_id = ${fast.webhook.id} AND status = 'pending'`);
      if (read === 0) break;
    }
    expect(await deliveriesOf(fast.webhook.id)).toBe(newEvents);
    const slowId = (await webhooks.list()).find((hook) => hook.url.endsWith('/slow'))?.id ?? '';
    expect(await firstAttemptsWaiting(slowId)).toBeGreaterThan(AHEAD_MAX);
  });
});

describe('the dispatcher and the claims', () => {
  // The claim locks its endpoint's row; a new delivery's foreign key check takes FOR KEY
  // SHARE on the same row. With FOR UPDATE the two conflicted: claims waited for the
  // dispatcher's open transaction and the dispatcher's inserts for every claim's commit.
  it('claims an attempt while another transaction is inserting a delivery for its endpoint', async () => {
    const receiver = await startReceiver(() => 204);
    const made = await webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    const [event] = await emitEvents(database, 1);
    await dispatchOnce({ ...deps, aheadMax: 1_000_000 });
    const [delivery] = await database.db.execute<{ id: string; job_id: string }>(sql`
      SELECT id, job_id FROM webhook_deliveries
      WHERE endpoint_id = ${made.webhook.id} AND event_id = ${event ?? ''}`);
    if (!delivery) throw new Error('no delivery was made');

    const inserting = await reserveConnection(database.db);
    try {
      await inserting.command('BEGIN');
      await inserting.db.execute(sql`INSERT INTO webhook_deliveries
          (id, endpoint_id, event_id, event_type, payload, job_id, next_attempt_at)
        VALUES (gen_random_uuid(), ${made.webhook.id}, 'open-transaction', 'wallet.funded',
          '{}'::jsonb, gen_random_uuid(), now())`);
      const attempt = runAttempt(
        {
          db: database.db,
          boss,
          sender: createSender(),
          settings: {
            timeoutMs: 2_000,
            leaseMs: 4_000,
            endpointConcurrencyMax: 4,
            schedule: RETRY_SCHEDULE_DEFAULTS,
            allowPrivateUrls: true,
          },
        },
        delivery.job_id,
        delivery.id,
      );
      expect(await attempt).toBe('succeeded');
    } finally {
      await inserting.command('ROLLBACK');
      inserting.release();
    }
  });
});
