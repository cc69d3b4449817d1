import type { Database } from '@wallet/db';
import { sql } from 'drizzle-orm';

import type { EventSource, LedgerEvent, WebhookSettings } from '../src';

/** Short delays and polls, so that tests wait on conditions for milliseconds, not minutes. */
export const FAST_SETTINGS: Partial<WebhookSettings> = {
  allowPrivateUrls: true,
  attemptTimeoutMs: 2_000,
  pollIntervalMs: 20,
  maintenanceIntervalSeconds: 1,
  retry: { firstDelayMs: 20, delayMaxMs: 100, windowMs: 60_000 },
};

/**
 * An event source over a real table this test owns (test_events), read by position as
 * the outbox is read by its cursor. Tests insert one event at a time, so positions
 * commit in order.
 */
export function tableSource(database: Database): EventSource {
  return {
    initialCursor: '0',
    readAfter: async (cursor, limit) => {
      const rows = await database.db.execute<{
        position: string;
        id: string;
        type: string;
        wallet_ids: string[];
        payload: Record<string, unknown>;
        created_at: string;
      }>(sql`SELECT e.position::text AS position, e.id, e.type, e.wallet_ids, e.payload,
          to_json(e.created_at) #>> '{}' AS created_at
        FROM test_events e WHERE e.position > ${cursor}::bigint
        ORDER BY e.position LIMIT ${limit + 1}`);
      const page = rows.slice(0, limit);
      const events: LedgerEvent[] = page.map((row) => ({
        id: row.id,
        type: row.type,
        walletIds: row.wallet_ids,
        payload: row.payload,
        createdAt: new Date(row.created_at),
      }));
      return { cursor: page.at(-1)?.position ?? cursor, events, hasMore: rows.length > limit };
    },
  };
}
