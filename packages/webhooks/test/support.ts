import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createDatabase, type Database } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, inject, onTestFinished } from 'vitest';

import { createWebhooks, type Webhooks, type WebhookSettings } from '../src';
import { FAST_SETTINGS } from './support-source';

export { FAST_SETTINGS, tableSource } from './support-source';

export const SYSTEM = { actor: 'system' } as const;

export interface TestDb {
  database: Database;
  url: string;
}

/** A fresh database of the file's own, with the events table the test source reads. */
export async function useTestDatabase(): Promise<TestDb> {
  const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
  const database = createDatabase(testDatabase.url, { poolMax: 8 });
  await database.db.execute(sql`
    CREATE TABLE test_events (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      type text NOT NULL,
      wallet_ids text[] NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });
  return { database, url: testDatabase.url };
}

export async function emitEvents(database: Database, count: number, type = 'wallet.funded') {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = uuidv7();
    ids.push(id);
    await database.db.execute(sql`INSERT INTO test_events (id, type, wallet_ids, payload)
      VALUES (${id}, ${type}, ARRAY[${uuidv7()}], ${JSON.stringify({ index, amount: '1.00' })}::jsonb)`);
  }
  return ids;
}

export function useWebhooks(database: Database, settings: Partial<WebhookSettings> = {}) {
  const errors: unknown[] = [];
  const webhooks: Webhooks = createWebhooks(database.db, {
    settings: { ...FAST_SETTINGS, ...settings },
    onError: (error) => errors.push(error),
  });
  afterAll(() => webhooks.stop());
  return { webhooks, errors };
}

function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

export interface ReceivedRequest {
  webhookId: string;
  body: { id: string; type: string; data: Record<string, unknown> };
  verified: boolean;
}

export type Responder = (
  request: ReceivedRequest,
  count: number,
) => number | 'hang' | Promise<number>;

/**
 * A receiver on 127.0.0.1 that checks every signature with standardwebhooks, as an
 * operator's would, and answers what `respond` says. It also records how many requests
 * for one webhook-id were in flight at once.
 */
export async function startReceiver(respond: Responder = () => 200) {
  const received: ReceivedRequest[] = [];
  const inFlight = new Map<string, number>();
  let secret = '';
  let concurrentMax = 0;
  let open = 0;
  let openMax = 0;
  let connections = 0;
  let answering: Responder = respond;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      const verified = verifies(secret, text, headers);
      const webhookId = headers['webhook-id'] ?? '';
      const now = (inFlight.get(webhookId) ?? 0) + 1;
      inFlight.set(webhookId, now);
      concurrentMax = Math.max(concurrentMax, now);
      open += 1;
      openMax = Math.max(openMax, open);
      const entry = { webhookId, body: JSON.parse(text) as ReceivedRequest['body'], verified };
      received.push(entry);
      const answer = answering(entry, received.length);
      const finish = () => {
        open -= 1;
        inFlight.set(webhookId, (inFlight.get(webhookId) ?? 1) - 1);
      };
      if (answer === 'hang') {
        response.on('close', finish);
        return;
      }
      void Promise.resolve(answer).then((status) => {
        finish();
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  // Receivers are started inside tests: closed when their test ends.
  onTestFinished(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    server,
    setSecret: (value: string) => {
      secret = value;
    },
    respondWith: (next: Responder) => {
      answering = next;
    },
    /** Distinct webhook-ids received. */
    uniqueIds: () => new Set(received.map((entry) => entry.webhookId)),
    concurrentMax: () => concurrentMax,
    /** Requests in flight at once, whatever their webhook-id. */
    openMax: () => openMax,
    connections: () => connections,
  };
}
