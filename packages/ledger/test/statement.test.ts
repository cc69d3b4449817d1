import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { InvalidInputError, WalletNotFoundError } from '../src';
import { useTestLedger } from './support';

/**
 * Balances as of a moment, statements of a period and the history's period and
 * counterparty filters, on a wallet whose entries fall on both sides of two moments.
 */
const { ledger, db } = await useTestLedger();
const unknownId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

/** The database's clock between two writes, to the microsecond: entries before it are earlier. */
async function mark(): Promise<string> {
  const [row] = await db.execute<{ at: string }>(
    sql`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
  );
  return row?.at ?? '';
}

let walletId = '';
let otherId = '';
let created = '';
let first = '';
let second = '';
beforeAll(async () => {
  created = await mark();
  walletId = (await ledger.createWallet({})).id;
  otherId = (await ledger.createWallet({})).id;
  await ledger.fundWallet({ walletId, amount: 10, description: 'opening' }); // 1: 10.00
  first = await mark();
  await ledger.transferFunds({ senderWalletId: walletId, receiverWalletId: otherId, amount: 3 }); // 2: 7.00
  await ledger.fundWallet({ walletId, amount: 5 }); // 3: 12.00
  second = await mark();
  await ledger.withdrawFunds({ walletId, amount: 2 }); // 4: 10.00
});

describe('getBalanceAsOf', () => {
  it('counts every entry stamped at or before the moment', async () => {
    expect(await ledger.getBalanceAsOf({ walletId, asOf: first })).toMatchObject({
      balanceMinor: 1000n,
      sequence: 1,
      currency: 'USD',
    });
    expect((await ledger.getBalanceAsOf({ walletId, asOf: second })).balanceMinor).toBe(1200n);
    expect((await ledger.getBalanceAsOf({ walletId, asOf: created })).balanceMinor).toBe(0n);
  });

  it('refuses an unknown wallet and a moment without its offset', async () => {
    await expect(ledger.getBalanceAsOf({ walletId: unknownId, asOf: first })).rejects.toThrow(
      WalletNotFoundError,
    );
    await expect(ledger.getBalanceAsOf({ walletId, asOf: '2026-12-01T00:00:00' })).rejects.toThrow(
      InvalidInputError,
    );
  });
});

describe('readStatementPage', () => {
  it("gives a period's entries oldest first between its opening and closing balances", async () => {
    const page = await ledger.readStatementPage({ walletId, from: first, to: second });
    expect(page).toMatchObject({ openingBalanceMinor: 1000n, closingBalanceMinor: 1200n });
    expect(page.items.map((entry) => [entry.sequence, entry.type])).toEqual([
      [2, 'TRANSFER_OUT'],
      [3, 'FUND'],
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it('covers the whole history without a period, and an empty period keeps its balance', async () => {
    const all = await ledger.readStatementPage({ walletId });
    expect(all).toMatchObject({ openingBalanceMinor: 0n, closingBalanceMinor: 1000n });
    expect(all.items.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4]);
    const before = await ledger.readStatementPage({ walletId, to: created });
    expect(before).toMatchObject({ openingBalanceMinor: 0n, closingBalanceMinor: 0n, items: [] });
  });

  it('pages through a period fixed by its first page, while money keeps moving', async () => {
    const moving = (await ledger.createWallet({})).id;
    for (let i = 0; i < 3; i++) await ledger.fundWallet({ walletId: moving, amount: 1 });
    const page1 = await ledger.readStatementPage({ walletId: moving, limit: 2 });
    await ledger.fundWallet({ walletId: moving, amount: 100 });
    const page2 = await ledger.readStatementPage({
      walletId: moving,
      limit: 2,
      cursor: page1.nextCursor ?? '',
    });
    expect([...page1.items, ...page2.items].map((entry) => entry.sequence)).toEqual([1, 2, 3]);
    expect(page2).toMatchObject({ closingBalanceMinor: 300n, nextCursor: null });
  });

  it('refuses a period that ends before it starts and a cursor it did not give', async () => {
    await expect(ledger.readStatementPage({ walletId, from: second, to: first })).rejects.toThrow(
      'from must be earlier than to',
    );
    await expect(ledger.readStatementPage({ walletId, cursor: '5:2' })).rejects.toThrow(
      'cursor is not valid',
    );
  });
});

describe('listTransactions filters', () => {
  it('by period, newest first, and by counterparty', async () => {
    const period = await ledger.listTransactions({ walletId, from: first, to: second });
    expect(period.items.map((entry) => entry.sequence)).toEqual([3, 2]);
    const withOther = await ledger.listTransactions({ walletId, counterpartyWalletId: otherId });
    expect(withOther.items.map((entry) => entry.type)).toEqual(['TRANSFER_OUT']);
    const since = await ledger.listTransactions({ walletId, from: second, limit: 1 });
    expect(since.items.map((entry) => entry.sequence)).toEqual([4]);
    expect(since.nextCursor).toBeNull();
  });
});
