import { describe, expect, it, vi } from 'vitest';

import {
  emitEvents,
  startReceiver,
  SYSTEM,
  tableSource,
  useTestDatabase,
  useWebhooks,
} from './support';

const { database } = await useTestDatabase();
// A retry window of a fraction of a second stands in for the 24 h one; a short timeout
// stands in for the 10 s one.
const { webhooks } = useWebhooks(database, {
  attemptTimeoutMs: 500,
  endpointConcurrencyMax: 2,
  retry: { firstDelayMs: 20, delayMaxMs: 50, windowMs: 1_500 },
});
await webhooks.start(tableSource(database));

const WAIT = { timeout: 30_000, interval: 20 };

describe('deliveries that cannot succeed', () => {
  it('are retried until the window ends, then marked failed with the last answer', async () => {
    const broken = await startReceiver(() => 500);
    const made = await webhooks.create({ url: broken.url, events: ['*'] }, SYSTEM);
    const [id] = await emitEvents(database, 1);
    await vi.waitFor(async () => {
      const [delivery] = (await webhooks.deliveries({ webhookId: made.webhook.id })).items;
      expect(delivery).toMatchObject({
        status: 'failed',
        lastResponseCode: 500,
        nextAttemptAt: null,
      });
      expect(delivery?.attempts).toBeGreaterThanOrEqual(2);
    }, WAIT);
    const tries = broken.received.length;
    expect(broken.received.every((entry) => entry.webhookId === id)).toBe(true);
    // A manual retry gives it a new window: it is attempted again.
    const [delivery] = (await webhooks.deliveries({ webhookId: made.webhook.id })).items;
    await webhooks.retry({ webhookId: made.webhook.id, deliveryId: delivery?.id ?? '' }, SYSTEM);
    await vi.waitFor(() => {
      expect(broken.received.length).toBeGreaterThan(tries);
    }, WAIT);
    await webhooks.delete({ webhookId: made.webhook.id }, SYSTEM);
  });

  it('a hanging endpoint times out, holds at most its cap of slots, and delays no one', async () => {
    const hanging = await startReceiver(() => 'hang');
    const healthy = await startReceiver(() => 200);
    const slow = await webhooks.create({ url: hanging.url, events: ['*'] }, SYSTEM);
    const fine = await webhooks.create({ url: healthy.url, events: ['*'] }, SYSTEM);
    healthy.setSecret(fine.secret);
    const ids = await emitEvents(database, 40);
    // Every event reaches the healthy endpoint while the hanging one has 40 waiting.
    await vi.waitFor(() => {
      expect(healthy.uniqueIds()).toEqual(new Set(ids));
    }, WAIT);
    expect(hanging.concurrentMax()).toBeLessThanOrEqual(1);
    await vi.waitFor(async () => {
      const page = await webhooks.deliveries({ webhookId: slow.webhook.id, limit: 100 });
      expect(page.items.some((d) => d.lastError?.startsWith('timed out after 500 ms'))).toBe(true);
    }, WAIT);
    // Never more attempts in flight to it than its cap (2), over all its deliveries.
    expect(hanging.received.length).toBeGreaterThan(0);
    expect(hanging.openMax()).toBeLessThanOrEqual(2);
    await webhooks.delete({ webhookId: slow.webhook.id }, SYSTEM);
  });
});
