import { createAccess } from '@wallet/access';
import { createDatabase, migrateDatabase, readMigrationStatus } from '@wallet/db';
import { startReplicatedPostgres } from '@wallet/testing/replica';
import { createLedger } from '@wallet/ledger';
import { afterAll, describe, expect, it } from 'vitest';

import { createMetrics, ledgerObserverOf } from '../src/observability/metrics';
import { buildServer } from '../src/server';

import { bearer, TEST_SECURITY } from './support/api';

/**
 * The API on a real primary and a real streaming replica (a base backup, hot standby):
 * transfers go to the primary, reads to the replica once it has replayed every write
 * acknowledged before them. A client must never see a balance older than its own last
 * write, and reads must keep working, from the primary, while the replica lags or is
 * down; /metrics shows which way each read went.
 */

const servers = await startReplicatedPostgres();
await migrateDatabase(servers.primaryUrl);
const primary = createDatabase(servers.primaryUrl, { poolMax: 8 });
const replica = createDatabase(servers.replicaUrl, { poolMax: 8 });
const metrics = createMetrics({ poolMax: 8 });
const access = createAccess(primary.db);
const app = await buildServer({
  ledger: createLedger(primary.db, {
    replica: { db: replica.db, waitMs: 200 },
    observer: ledgerObserverOf(metrics),
  }),
  access,
  readMigrationStatus: () => readMigrationStatus(primary.db),
  security: TEST_SECURITY,
  metrics,
});
const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
const { apiKey } = await access.createApiKey(
  { name: 'replica test', role: 'admin' },
  { actor: 'system' },
);

afterAll(async () => {
  await app.close();
  await access.close();
  await primary.close();
  await replica.close();
  await servers.stop();
});

async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...bearer(apiKey), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

/** ledger_reads_total by "route/reason", from /metrics. */
async function readsByRoute(): Promise<Map<string, number>> {
  const text = await (
    await fetch(new URL('/metrics', baseUrl), { headers: bearer(apiKey) })
  ).text();
  const counts = new Map<string, number>();
  for (const match of text.matchAll(
    /^ledger_reads_total\{route="(\w+)",reason="([\w ]+)"\} (\d+)$/gm,
  )) {
    counts.set(`${match[1]}/${match[2]}`, Number(match[3]));
  }
  return counts;
}

const walletId = String((await call('POST', '/wallets', {})).id);
const otherId = String((await call('POST', '/wallets', {})).id);

describe('the API with a streaming replica', () => {
  it('reads its own writes, from the replica', async () => {
    const before = await readsByRoute();
    for (let round = 1; round <= 30; round++) {
      const funded = await call('POST', '/wallets/fund', { wallet_id: walletId, amount: '2.00' });
      const transfer = await call('POST', '/wallets/transfer', {
        senderWalletId: walletId,
        receiverWalletId: otherId,
        amount: '1.00',
      });
      const sender = (transfer.sender ?? {}) as Record<string, unknown>;
      expect(sender.balance).toBe(Number(funded.balance) - 1);
      const read = await call('GET', `/wallets/${walletId}`);
      expect(read.balance).toBe(sender.balance);
    }
    const after = await readsByRoute();
    const fromReplica =
      (after.get('replica/replica caught up') ?? 0) -
      (before.get('replica/replica caught up') ?? 0);
    expect(fromReplica).toBeGreaterThan(0);
  });

  it('while the replica lags, reads the primary, still up to date, and counts it', async () => {
    await servers.pauseReplay();
    try {
      const funded = await call('POST', '/wallets/fund', { wallet_id: walletId, amount: '5.00' });
      const before = (await readsByRoute()).get('primary/replica lagging') ?? 0;
      expect((await call('GET', `/wallets/${walletId}`)).balance).toBe(funded.balance);
      expect((await readsByRoute()).get('primary/replica lagging')).toBe(before + 1);
    } finally {
      await servers.resumeReplay();
    }
  });

  it('while the replica is down, reads the primary and counts it', async () => {
    await servers.stopReplica();
    try {
      const funded = await call('POST', '/wallets/fund', { wallet_id: walletId, amount: '1.00' });
      const before = (await readsByRoute()).get('primary/replica unavailable') ?? 0;
      expect((await call('GET', `/wallets/${walletId}`)).balance).toBe(funded.balance);
      expect((await readsByRoute()).get('primary/replica unavailable')).toBe(before + 1);
    } finally {
      await servers.startReplica();
    }
  });
});
