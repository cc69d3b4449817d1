import { createDatabase, migrateDatabase } from '@wallet/db';
import { startReplicatedPostgres } from '@wallet/testing/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLedger, type Ledger, type ReadRoute } from '../src';

/**
 * Reads from a real streaming replica: a PostgreSQL primary and a hot standby made from a base
 * backup, on this machine. The ledger writes on the primary and reads on the
 * replica, and must never answer a read with data older than a write it acknowledged.
 */

// Commits acknowledged before their WAL is written: a read must still see them.
const servers = await startReplicatedPostgres({ synchronousCommit: 'off' });
await migrateDatabase(servers.primaryUrl);
const primary = createDatabase(servers.primaryUrl, { poolMax: 8 });
const replica = createDatabase(servers.replicaUrl, { poolMax: 8 });
const routes: ReadRoute[] = [];
const ledger: Ledger = createLedger(primary.db, {
  replica: { db: replica.db, waitMs: 200 },
  observer: {
    readRouted: (route, reason) => routes.push({ route, reason }),
    batchApplied: () => undefined,
  },
});

afterAll(async () => {
  await primary.close();
  await replica.close();
  await servers.stop();
});

function routesDuring(run: () => Promise<unknown>) {
  return async () => {
    const before = routes.length;
    await run();
    return routes.slice(before);
  };
}

describe('reads from a streaming replica', () => {
  let walletId = '';
  beforeAll(async () => {
    walletId = (await ledger.createWallet({})).id;
  });

  it('serves reads from the replica, each one seeing every write acknowledged before it', async () => {
    const other = (await ledger.createWallet({})).id;
    const seen = await routesDuring(async () => {
      for (let round = 1; round <= 40; round++) {
        const funded = await ledger.fundWallet({ walletId, amount: 1 });
        await ledger.transferFunds({
          senderWalletId: walletId,
          receiverWalletId: other,
          amount: 0.5,
        });
        const read = await ledger.getWallet({ walletId });
        expect(read.balanceMinor).toBe(funded.wallet.balanceMinor - 50n);
        expect(read.transactions[0]?.type).toBe('TRANSFER_OUT');
      }
    })();
    expect(seen.filter((route) => route.route === 'replica').length).toBeGreaterThan(0);
    expect(seen.every((route) => route.reason !== 'replica unavailable')).toBe(true);
  });

  it('waits for a lagging replica, then reads from the primary, and says so', async () => {
    await servers.pauseReplay();
    try {
      const funded = await ledger.fundWallet({ walletId, amount: 7 });
      const seen = await routesDuring(async () => {
        const read = await ledger.getWallet({ walletId });
        expect(read.balanceMinor).toBe(funded.wallet.balanceMinor);
        const page = await ledger.listTransactions({ walletId, limit: 1 });
        expect(page.items[0]?.id).toBe(funded.entry.id);
      })();
      expect(seen).toEqual([
        { route: 'primary', reason: 'replica lagging' },
        { route: 'primary', reason: 'replica lagging' },
      ]);
    } finally {
      await servers.resumeReplay();
    }
  });

  it('keeps reading, from the primary, while the replica is down, and goes back to it after', async () => {
    await servers.stopReplica();
    try {
      const funded = await ledger.fundWallet({ walletId, amount: 3 });
      const seen = await routesDuring(async () => {
        expect((await ledger.getWallet({ walletId })).balanceMinor).toBe(
          funded.wallet.balanceMinor,
        );
      })();
      expect(seen).toEqual([{ route: 'primary', reason: 'replica unavailable' }]);
    } finally {
      await servers.startReplica();
    }
    // Once the pool has reconnected and the replica has caught up, reads go back to it.
    await expect
      .poll(
        async () => {
          const funded = await ledger.fundWallet({ walletId, amount: 1 });
          const seen = await routesDuring(async () => {
            const read = await ledger.getWallet({ walletId });
            expect(read.balanceMinor).toBe(funded.wallet.balanceMinor);
          })();
          return seen.at(-1)?.route;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe('replica');
  });
});

describe('a write that reaches a standby', () => {
  // What a pool still connected to a just-demoted primary meets around a failover: the
  // server refuses the write (25006 read_only_sql_transaction), and nothing is written.
  const onStandby = createLedger(replica.db);

  it('is LEDGER_UNAVAILABLE (a 503 the client may retry with its key), never an internal error', async () => {
    const walletId = (await ledger.createWallet({})).id;
    await expect
      .poll(async () => (await onStandby.getWallet({ walletId }).catch(() => undefined))?.id)
      .toBe(walletId);
    await expect(onStandby.createWallet({})).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    await expect(
      onStandby.fundWallet({ walletId, amount: 5, idempotencyKey: 'standby-write' }),
    ).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    const funded = await ledger.fundWallet({
      walletId,
      amount: 5,
      idempotencyKey: 'standby-write',
    });
    expect(funded.wallet.balanceMinor).toBe(500n);
  });
});
