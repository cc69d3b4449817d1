import { describe, expect, it, vi } from 'vitest';

import type { EventSource } from '../src';
import {
  emitEvents,
  startReceiver,
  SYSTEM,
  tableSource,
  useTestDatabase,
  useWebhooks,
} from './support';

const { database } = await useTestDatabase();
// A poll interval no test waits out: only reading on at once catches up in time.
const { webhooks, errors } = useWebhooks(database, {
  pollIntervalMs: 60_000,
  dispatchBatchSize: 500,
});

/** The table source with pages of at most 10 events, as the ledger's hold at most 100. */
function smallPages(source: EventSource): EventSource {
  return {
    initialCursor: source.initialCursor,
    readAfter: (cursor, limit) => source.readAfter(cursor, Math.min(limit, 10)),
  };
}

describe('the dispatcher and a backlog', () => {
  it('reads page after page without waiting while the source has more, though a page is smaller than its batch', async () => {
    const receiver = await startReceiver();
    const made = await webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    receiver.setSecret(made.secret);
    const ids = await emitEvents(database, 35);
    await webhooks.start(smallPages(tableSource(database)));

    await vi.waitFor(
      async () => {
        const page = await webhooks.deliveries({ webhookId: made.webhook.id, limit: 100 });
        expect(page.items).toHaveLength(ids.length);
      },
      { timeout: 15_000, interval: 20 },
    );
    expect(errors).toEqual([]);
  });
});
