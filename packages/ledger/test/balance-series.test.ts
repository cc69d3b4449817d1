import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

import { InvalidInputError, WalletNotFoundError } from '../src';
import { useTestLedger } from './support';

/**
 * The balance series: the balance at evenly spaced instants, exact, from the entries'
 * chain; before the first entry it is 0.
 */
const { ledger, db } = await useTestLedger();
const unknownId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

/** The database's clock between two writes, to the microsecond. */
async function mark(): Promise<string> {
  const [row] = await db.execute<{ at: string }>(
    sql`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
  );
  return row?.at ?? '';
}

let walletId = '';
let beforeFirst = '';
let afterFirst = '';
let afterSecond = '';
let afterThird = '';
beforeAll(async () => {
  walletId = (await ledger.createWallet({})).id;
  beforeFirst = await mark();
  await ledger.fundWallet({ walletId, amount: '10.25' }); // 10.25
  afterFirst = await mark();
  await ledger.withdrawFunds({ walletId, amount: '0.26' }); // 9.99
  afterSecond = await mark();
  await ledger.fundWallet({ walletId, amount: 999_999_999_990 }); // 999,999,999,999.99
  afterThird = await mark();
});

describe('balanceSeries', () => {
  it('gives the exact balance at each chosen instant, 0 before the first entry', async () => {
    // Two points: exactly the bounds.
    const series = await ledger.balanceSeries({
      walletId,
      from: beforeFirst,
      to: afterThird,
      points: 2,
    });
    expect(series.points).toEqual([
      { at: beforeFirst, balanceMinor: 0n },
      { at: afterThird, balanceMinor: 99_999_999_999_999n },
    ]);
    expect(series.openingBalanceMinor).toBe(0n);
    expect(series.closingBalanceMinor).toBe(99_999_999_999_999n);
    expect(series.currency).toBe('USD');
    for (const [at, balanceMinor] of [
      [afterFirst, 1025n],
      [afterSecond, 999n],
    ] as const) {
      const point = await ledger.balanceSeries({ walletId, from: beforeFirst, to: at, points: 2 });
      expect(point.closingBalanceMinor).toBe(balanceMinor);
    }
  });

  it('spaces the instants evenly in whole microseconds, from and to included', async () => {
    const from = '2026-01-01T00:00:00.000000Z';
    const series = await ledger.balanceSeries({
      walletId,
      from,
      to: '2026-01-01T00:00:00.010000Z',
      points: 4,
    });
    // 10,000 µs in 3 steps: 0, 3,333, 6,666, 10,000 (integer division; the last is `to`).
    expect(series.points.map((point) => point.at)).toEqual([
      '2026-01-01T00:00:00.000000Z',
      '2026-01-01T00:00:00.003333Z',
      '2026-01-01T00:00:00.006666Z',
      '2026-01-01T00:00:00.010000Z',
    ]);
    expect(series.points.every((point) => point.balanceMinor === 0n)).toBe(true);
  });

  it('gives the default number of points, and at most the limit', async () => {
    const series = await ledger.balanceSeries({ walletId, from: beforeFirst, to: afterThird });
    expect(series.points).toHaveLength(60);
    const balances = series.points.map((point) => point.balanceMinor);
    expect(balances[0]).toBe(0n);
    expect(balances.at(-1)).toBe(99_999_999_999_999n);
    // Every point is one of the chain's balances, in the chain's order.
    const chain = [0n, 1025n, 999n, 99_999_999_999_999n];
    const positions = balances.map((balance) => chain.indexOf(balance));
    expect(
      positions.every((position, i) => position >= 0 && position >= (positions[i - 1] ?? 0)),
    ).toBe(true);
    await expect(
      ledger.balanceSeries({ walletId, from: beforeFirst, to: afterThird, points: 201 }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      ledger.balanceSeries({ walletId, from: beforeFirst, to: afterThird, points: 1 }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('refuses an unknown wallet, an external account and a period that ends before it starts', async () => {
    await expect(
      ledger.balanceSeries({ walletId: unknownId, from: beforeFirst, to: afterThird }),
    ).rejects.toThrow(WalletNotFoundError);
    await expect(
      ledger.balanceSeries({
        walletId: '00000000-0000-8000-8000-000000555344',
        from: beforeFirst,
        to: afterThird,
      }),
    ).rejects.toThrow(WalletNotFoundError);
    await expect(
      ledger.balanceSeries({ walletId, from: afterThird, to: beforeFirst }),
    ).rejects.toThrow(InvalidInputError);
  });
});
