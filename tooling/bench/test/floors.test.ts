import { createDatabase } from '@wallet/db';
import { createLedger } from '@wallet/ledger';
import { createTestDatabase } from '@wallet/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import {
  batchedHotTransfers,
  createFloorFunctions,
  dropFloorFunctions,
  oneRoundTripTransfer,
  rawWalletRead,
} from '../floors';
import { rawTransfer } from '../raw';

/**
 * The bench's raw-SQL floors write the ledger's tables by hand. When the schema moves (a
 * key's owner, a new column), a floor that no longer fits fails at every call and, run
 * for 8 s, looks fast at failing. These tests run each floor once on a migrated database
 * and check that it moved the money the ledger's own way: balances, chains and
 * `ledger:verify` clean.
 */

const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
const database = createDatabase(testDatabase.url, { poolMax: 4 });
const ledger = createLedger(database.db);
const sql = database.db.$client;

afterAll(async () => {
  await dropFloorFunctions(sql);
  await database.close();
  await testDatabase.drop();
});

async function fundedWallet(amount: string): Promise<string> {
  const wallet = await ledger.createWallet({ currency: 'USD' });
  await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

async function balanceOf(walletId: string): Promise<bigint> {
  return (await ledger.getWallet({ walletId })).balanceMinor;
}

describe('the raw floors fit the schema', () => {
  beforeAll(async () => {
    await createFloorFunctions(sql);
  });

  it('the one-round-trip transfer moves the money and keeps the ledger clean', async () => {
    const [sender, receiver] = [await fundedWallet('10'), await fundedWallet('0.01')];
    await oneRoundTripTransfer(sql, [sender, receiver], 250n);
    expect([await balanceOf(sender), await balanceOf(receiver)]).toEqual([750n, 251n]);
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('the batched hot floor moves one amount from each sender into the hot wallet', async () => {
    const senders = [await fundedWallet('1'), await fundedWallet('1'), await fundedWallet('1')];
    const hot = await fundedWallet('0.01');
    await batchedHotTransfers(sql, senders, hot, 10n);
    expect(await balanceOf(hot)).toBe(31n);
    for (const sender of senders) expect(await balanceOf(sender)).toBe(90n);
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('the in-process harness transfer and the raw read run too', async () => {
    const [sender, receiver] = [await fundedWallet('5'), await fundedWallet('0.01')];
    await rawTransfer(sql, sender, receiver, '1', 100n, `floor-key-${sender}`);
    expect([await balanceOf(sender), await balanceOf(receiver)]).toEqual([400n, 101n]);
    await expect(rawWalletRead(sql, sender, 20)).resolves.toBeUndefined();
    expect((await ledger.verify()).violations).toEqual([]);
  });
});

describe('the raw floors keep the chain in time order under concurrency', () => {
  beforeAll(async () => {
    await createFloorFunctions(sql);
  });

  it('concurrent floor transfers on the same wallets all commit, each with its event', async () => {
    const [a, b] = [await fundedWallet('10'), await fundedWallet('10')];
    const before = await sql<{ count: string }[]>`select count(*) from ledger_events`;
    const transfers = Array.from({ length: 24 }, (_, index) =>
      index % 2 === 0
        ? oneRoundTripTransfer(sql, [a, b], 1n)
        : rawTransfer(sql, b, a, '0.01', 1n, `floor-concurrent-${a}-${index}`),
    );
    await Promise.all(transfers);
    const after = await sql<{ count: string }[]>`select count(*) from ledger_events`;
    expect(BigInt(after[0]?.count ?? 0) - BigInt(before[0]?.count ?? 0)).toBe(24n);
    expect([await balanceOf(a), await balanceOf(b)]).toEqual([1000n, 1000n]);
    expect((await ledger.verify()).violations).toEqual([]);
  });
});
