import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import type { EventSource } from '../src';
import { dispatchOnce } from '../src/dispatcher';
import { startQueue } from '../src/queue';
import { emitEvents, SYSTEM, tableSource, useTestDatabase, useWebhooks } from './support';

const { database } = await useTestDatabase();
// The loops are never started: the test runs the one round itself.
const { webhooks } = useWebhooks(database);
const boss = await startQueue(database.db, { expireInSeconds: 60, maintenanceIntervalSeconds: 60 });
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
});

describe('an endpoint registered while a round runs', () => {
  // The race CI found: the round read the live endpoints, then the outbox. An endpoint
  // registered in between, and the events written right after it, were read without it,
  // and the cursor moved past them: the endpoint never got them.
  it('gets the events written after it that the round reads', async () => {
    const table = tableSource(database);
    let registered: string | undefined;
    let written: string[] = [];
    // Registers the endpoint and writes its first event just before the round reads.
    const source: EventSource = {
      initialCursor: table.initialCursor,
      readAfter: async (cursor, limit) => {
        if (registered === undefined) {
          const made = await webhooks.create(
            { url: 'http://127.0.0.1:9/late', events: ['*'] },
            SYSTEM,
          );
          registered = made.webhook.id;
          written = await emitEvents(database, 1);
        }
        return table.readAfter(cursor, limit);
      },
    };

    expect(
      await dispatchOnce({ db: database.db, boss, source, batchSize: 10, aheadMax: 10 }),
    ).toEqual({ read: 1, hasMore: false });
    const made = await database.db.execute<{ event_id: string }>(sql`
      SELECT event_id FROM webhook_deliveries WHERE endpoint_id = ${registered ?? ''}`);
    expect(made.map((row) => row.event_id)).toEqual(written);
  });
});
