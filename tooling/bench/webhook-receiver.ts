import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Sql } from './raw';

/**
 * One webhook endpoint on, as issue 16 measures the write path with: a receiver on
 * loopback in the bench's process (outside the service's), subscribed to every event
 * type, answering 204 at once. It counts what arrives, so the bench can say how many
 * deliveries the service made during the write scenarios and what was still queued
 * after them. (The quick start runs with WEBHOOKS_ALLOW_PRIVATE_URLS=true for this
 * loopback URL, as the documented setting allows.)
 */
export interface BenchReceiver {
  readonly received: () => number;
  /**
   * Events since the endpoint was made that it has not yet received: those still in the
   * outbox (the dispatcher reads ahead of the deliveries by a bounded amount only) and
   * those whose delivery is pending.
   */
  readonly undelivered: () => Promise<number>;
  close(): Promise<void>;
}

export async function startBenchReceiver(
  apiUrl: string,
  authorization: Record<string, string>,
  sql: Sql,
): Promise<BenchReceiver> {
  let received = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const created = await fetch(`${apiUrl}/webhooks`, {
    method: 'POST',
    headers: { ...authorization, 'content-type': 'application/json' },
    body: JSON.stringify({
      url: `http://127.0.0.1:${port}/bench`,
      events: ['*'],
      description: 'pnpm bench: one endpoint on',
    }),
  });
  if (!created.ok) throw new Error(`POST /webhooks: ${created.status} ${await created.text()}`);
  return {
    received: () => received,
    undelivered: async () => {
      const [row] = await sql<{ count: string }[]>`
        select count(*) from ledger_events as event
        where event.created_at >= (select min(created_at) from webhook_endpoints)
          and not exists (select 1 from webhook_deliveries as delivery
            where delivery.event_id = event.id::text and delivery.status = 'succeeded')`;
      return Number(row?.count ?? 0);
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
