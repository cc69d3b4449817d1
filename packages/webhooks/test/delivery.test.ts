import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
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
const { webhooks, errors } = useWebhooks(database);
await webhooks.start(tableSource(database));

const WAIT = { timeout: 20_000, interval: 20 };

describe('webhook delivery', () => {
  it('delivers every event once per endpoint, signed, to the endpoints subscribed to it', async () => {
    const all = await startReceiver();
    const transfersOnly = await startReceiver();
    const made = await webhooks.create({ url: all.url, events: ['*'] }, SYSTEM);
    all.setSecret(made.secret);
    const picky = await webhooks.create(
      { url: transfersOnly.url, events: ['transfer.completed'] },
      SYSTEM,
    );
    transfersOnly.setSecret(picky.secret);
    const funded = await emitEvents(database, 60);
    const transfers = await emitEvents(database, 15, 'transfer.completed');

    await vi.waitFor(() => {
      expect(all.uniqueIds().size).toBe(75);
    }, WAIT);
    await vi.waitFor(() => {
      expect(transfersOnly.uniqueIds().size).toBe(15);
    }, WAIT);
    expect([...all.uniqueIds()].sort()).toEqual([...funded, ...transfers].sort());
    expect([...transfersOnly.uniqueIds()].sort()).toEqual([...transfers].sort());
    expect(all.received.every((entry) => entry.verified)).toBe(true);
    expect(transfersOnly.received.every((entry) => entry.verified)).toBe(true);
    const first = all.received.find((entry) => entry.webhookId === funded[0]);
    expect(first?.body).toMatchObject({ id: funded[0], type: 'wallet.funded', data: { index: 0 } });
    // The receiver answered; the outcome is recorded just after.
    await vi.waitFor(async () => {
      const page = await webhooks.deliveries({ webhookId: made.webhook.id, limit: 100 });
      expect(page.items).toHaveLength(75);
      expect(page.items.filter((d) => d.status !== 'succeeded')).toEqual([]);
      expect(page.items.every((d) => d.lastResponseCode === 200 && d.attempts === 1)).toBe(true);
    }, WAIT);
    expect(errors).toEqual([]);
  });

  it('retries a receiver that answers 500 until it recovers: it gets everything', async () => {
    let failing = true;
    const flaky = await startReceiver(() => (failing ? 500 : 204));
    const made = await webhooks.create({ url: flaky.url, events: ['*'] }, SYSTEM);
    flaky.setSecret(made.secret);
    const ids = await emitEvents(database, 20);
    // Every event was tried and refused at least twice before the receiver recovers.
    await vi.waitFor(() => {
      const tries = ids.map((id) => flaky.received.filter((e) => e.webhookId === id).length);
      expect(Math.min(...tries)).toBeGreaterThanOrEqual(2);
    }, WAIT);
    failing = false;
    await vi.waitFor(async () => {
      const page = await webhooks.deliveries({ webhookId: made.webhook.id, status: 'succeeded' });
      expect(page.items).toHaveLength(20);
    }, WAIT);
    expect(flaky.uniqueIds()).toEqual(new Set(ids));
    const page = await webhooks.deliveries({ webhookId: made.webhook.id, limit: 100 });
    expect(page.items.every((d) => d.attempts >= 3 && d.lastResponseCode === 204)).toBe(true);
  });

  it('does not follow redirects and keeps at most 4 KiB of an answer', async () => {
    const target = await startReceiver();
    const redirecting = await startReceiver();
    redirecting.server.removeAllListeners('request');
    redirecting.server.on('request', (_request, response) => {
      response.writeHead(302, { location: target.url }).end('x'.repeat(100_000));
    });
    const made = await webhooks.create({ url: redirecting.url, events: ['*'] }, SYSTEM);
    await emitEvents(database, 1);
    await vi.waitFor(async () => {
      const [delivery] = (await webhooks.deliveries({ webhookId: made.webhook.id })).items;
      expect(delivery?.lastResponseCode).toBe(302);
    }, WAIT);
    expect(target.received).toEqual([]);
    const rows = await database.db
      .select({ body: schema.webhookDeliveries.lastResponseBody })
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.endpointId, made.webhook.id));
    expect(rows[0]?.body?.length).toBeGreaterThan(0);
    expect(rows[0]?.body?.length).toBeLessThanOrEqual(4096);
    await webhooks.delete({ webhookId: made.webhook.id }, SYSTEM);
  });

  it('records when the last attempt ended; the database refuses an attempt time with no attempt', async () => {
    const receiver = await startReceiver();
    const made = await webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    const before = new Date();
    await emitEvents(database, 1);
    let attemptedAt: Date | null | undefined;
    await vi.waitFor(async () => {
      const [delivery] = (await webhooks.deliveries({ webhookId: made.webhook.id })).items;
      expect(delivery?.status).toBe('succeeded');
      attemptedAt = delivery?.lastAttemptAt;
    }, WAIT);
    expect(attemptedAt?.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(attemptedAt?.getTime()).toBeLessThanOrEqual(Date.now());

    // The column is a fact about attempts: none counted, none may be dated.
    const deliveries = schema.webhookDeliveries;
    const reset = database.db
      .update(deliveries)
      .set({ attempts: 0 })
      .where(eq(deliveries.endpointId, made.webhook.id));
    await expect(reset).rejects.toMatchObject({
      cause: { constraint_name: 'webhook_deliveries_attempted_before_last_attempt' },
    });
    const [row] = await database.db
      .select({ attempts: deliveries.attempts, at: sql<string>`${deliveries.lastAttemptAt}::text` })
      .from(deliveries)
      .where(eq(deliveries.endpointId, made.webhook.id));
    expect(row?.attempts).toBe(1);
    expect(row?.at).not.toBeNull();
    await webhooks.delete({ webhookId: made.webhook.id }, SYSTEM);
  });
});
