import { createDatabase, schema } from '@wallet/db';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { createWebhooks } from '../src';
import {
  emitEvents,
  FAST_SETTINGS,
  startReceiver,
  SYSTEM,
  tableSource,
  useTestDatabase,
  useWebhooks,
} from './support';

const { database, url } = await useTestDatabase();
/** A second API process: its own pool and its own pg-boss, on the same database. */
const otherPool = createDatabase(url, { poolMax: 8 });
const first = useWebhooks(database);
const second = createWebhooks(otherPool.db, { settings: FAST_SETTINGS });
afterAll(async () => {
  await second.stop();
  await otherPool.close();
});

const WAIT = { timeout: 30_000, interval: 20 };

/** Waits until the receiver has been asked `n` times, then lets the answer go. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('several API processes', () => {
  it('never make one attempt twice at once: the second claim finds it leased', async () => {
    const release = gate();
    const receiver = await startReceiver(() => release.opened.then(() => 200));
    const made = await first.webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    receiver.setSecret(made.secret);
    const jobId = uuidv7();
    const [delivery] = await database.db
      .insert(schema.webhookDeliveries)
      .values({
        id: uuidv7(),
        endpointId: made.webhook.id,
        eventId: uuidv7(),
        eventType: 'wallet.funded',
        payload: { type: 'wallet.funded' },
        jobId,
        nextAttemptAt: new Date(),
      })
      .returning();
    if (!delivery) throw new Error('no delivery');
    const one = first.webhooks.attempt(jobId, delivery.id);
    await vi.waitFor(() => {
      expect(receiver.received).toHaveLength(1);
    }, WAIT);
    // The same job, handed to the other process while the first attempt is in flight.
    expect(await second.attempt(jobId, delivery.id)).toBe('leased');
    release.open();
    expect(await one).toBe('succeeded');
    // And once it succeeded, a late repeat of the job has nothing to do.
    expect(await second.attempt(jobId, delivery.id)).toBe('nothing');
    expect(receiver.received).toHaveLength(1);
    const [row] = await database.db
      .select()
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.id, delivery.id));
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, leasedUntil: null });
  });

  it('share a storm: every event arrives, no webhook-id is ever in flight twice', async () => {
    let calls = 0;
    // Slow enough that the two processes' attempts overlap; one in five fails first.
    const receiver = await startReceiver(async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return calls % 5 === 0 ? 503 : 200;
    });
    const made = await first.webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    receiver.setSecret(made.secret);
    await first.webhooks.start(tableSource(database));
    await second.start(tableSource(otherPool));
    const ids = await emitEvents(database, 150);
    await vi.waitFor(async () => {
      const page = await first.webhooks.deliveries({
        webhookId: made.webhook.id,
        status: 'succeeded',
        limit: 100,
      });
      const rest = page.nextCursor
        ? await first.webhooks.deliveries({
            webhookId: made.webhook.id,
            status: 'succeeded',
            cursor: page.nextCursor,
            limit: 100,
          })
        : { items: [] };
      expect(page.items.length + rest.items.length).toBe(150);
    }, WAIT);
    expect(receiver.uniqueIds()).toEqual(new Set(ids));
    expect(receiver.concurrentMax()).toBe(1);
    expect(receiver.received.every((entry) => entry.verified)).toBe(true);
  });
});
