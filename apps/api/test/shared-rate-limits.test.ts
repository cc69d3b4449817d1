import { createAccess, createRateLimitCounter } from '@wallet/access';
import { createDatabase, readMigrationStatus } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { createLedger } from '@wallet/ledger';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';

import { buildServer } from '../src/server';

import { bearer, TEST_SECURITY } from './support/api';

/**
 * Two API instances on one database, as two processes would be: the rate-limit counters
 * live in PostgreSQL, so a key's budget is one budget wherever its requests land.
 */

const LIMIT = 4;
const WINDOW_MS = 1_500;

const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
const database = createDatabase(testDatabase.url, { poolMax: 8 });
const access = createAccess(database.db);
const counters = [createRateLimitCounter(database.db), createRateLimitCounter(database.db)];
const servers: FastifyInstance[] = [];
const baseUrls: string[] = [];
for (const counter of counters) {
  const app = await buildServer({
    ledger: createLedger(database.db),
    access,
    readMigrationStatus: () => readMigrationStatus(database.db),
    security: {
      ...TEST_SECURITY,
      rateLimit: { perKey: LIMIT, perAddress: LIMIT, signIn: LIMIT, windowMs: WINDOW_MS },
    },
    rateLimitCounter: counter,
  });
  servers.push(app);
  baseUrls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
}
const { apiKey } = await access.createApiKey(
  { name: 'shared limits', role: 'read-only' },
  { actor: 'system' },
);

afterAll(async () => {
  await Promise.all(servers.map((app) => app.close()));
  for (const counter of counters) counter.close();
  await access.close();
  await database.close();
  await testDatabase.drop();
});

const statusOf = async (baseUrl: string | undefined) =>
  (await fetch(new URL('/wallets', baseUrl), { headers: bearer(apiKey) })).status;

describe('rate limits shared by every API process', () => {
  it('counts a key once across two instances: the fifth request is refused wherever it lands', async () => {
    await vi.waitFor(
      async () => {
        // A fresh window: alternate between the instances.
        const statuses = [];
        for (let i = 0; i <= LIMIT; i++) statuses.push(await statusOf(baseUrls[i % 2]));
        expect(statuses).toEqual([200, 200, 200, 200, 429]);
      },
      { timeout: 10 * WINDOW_MS, interval: WINDOW_MS },
    );
    // The other instance refuses too: the budget is spent everywhere.
    expect(await statusOf(baseUrls[0])).toBe(429);
  });

  it('counts concurrent hits exactly', async () => {
    await vi.waitFor(
      async () => {
        const statuses = await Promise.all(
          Array.from({ length: 3 * LIMIT }, (_, i) => statusOf(baseUrls[i % 2])),
        );
        expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
        expect(statuses.filter((status) => status === 429)).toHaveLength(2 * LIMIT);
      },
      { timeout: 10 * WINDOW_MS, interval: WINDOW_MS },
    );
  });
});
