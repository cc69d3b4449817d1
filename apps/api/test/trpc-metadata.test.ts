import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createContextInner } from '../src/trpc/init';
import { createCaller } from '../src/trpc/root';
import { startApi, type RunningApi } from './support/api';

/**
 * Metadata and the balance series through tRPC's createCaller: each write takes metadata,
 * history and holds return it, the history filters on it, the series is exact text.
 */

let api: RunningApi;
let caller: ReturnType<typeof createCaller>;

beforeAll(async () => {
  api = await startApi();
  caller = createCaller(
    createContextInner({
      ledger: api.ledger,
      access: api.access,
      auth: { principal: await api.access.authenticateApiKey(api.keys.operator) },
    }),
  );
});

afterAll(async () => {
  await api.close();
});

describe('tRPC metadata', () => {
  it('writes carry metadata; history, transactions and holds return it; the filter finds it', async () => {
    const wallet = await caller.wallets.create({});
    const other = await caller.wallets.create({});
    const funded = await caller.wallets.fund({
      walletId: wallet.id,
      amount: '50',
      metadata: { order: 'A' },
    });
    expect(funded.transaction.metadata).toEqual({ order: 'A' });
    await caller.wallets.withdraw({ walletId: wallet.id, amount: '1', metadata: { order: 'B' } });
    const { transferId } = await caller.wallets.transfer({
      senderWalletId: wallet.id,
      receiverWalletId: other.id,
      amount: '2',
      metadata: { order: 'A', leg: 'x' },
    });
    expect((await caller.transactions.byId({ transactionId: transferId })).metadata).toEqual({
      order: 'A',
      leg: 'x',
    });
    const placed = await caller.holds.place({
      walletId: wallet.id,
      amount: '3',
      metadata: { booking: 'H' },
    });
    expect(placed.hold.metadata).toEqual({ booking: 'H' });
    const captured = await caller.holds.capture({
      holdId: placed.hold.id,
      metadata: { order: 'C' },
    });
    expect((await caller.holds.byId({ holdId: placed.hold.id })).metadata).toEqual({
      booking: 'H',
    });
    expect(
      (await caller.transactions.byId({ transactionId: captured.transactionId })).metadata,
    ).toEqual({ order: 'C' });
    const filtered = await caller.wallets.transactions({
      walletId: wallet.id,
      metadata: { order: 'A' },
    });
    expect(filtered.items.map((entry) => [entry.type, entry.amount])).toEqual([
      ['TRANSFER_OUT', '2.00'],
      ['FUND', '50.00'],
    ]);
    const both = await caller.wallets.transactions({
      walletId: wallet.id,
      metadata: { order: 'A', leg: 'x' },
    });
    expect(both.items).toHaveLength(1);
  });

  it('refuses metadata the contract does not admit as UNPROCESSABLE_CONTENT (422)', async () => {
    const wallet = await caller.wallets.create({});
    await expect(
      caller.wallets.fund({ walletId: wallet.id, amount: '1', metadata: { n: 1 } as never }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
    await expect(
      caller.wallets.transactions({ walletId: wallet.id, metadata: {} }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE_CONTENT' });
  });
});

describe('tRPC wallets.balanceSeries', () => {
  it('gives the balance at each instant as exact decimal text', async () => {
    const wallet = await caller.wallets.create({});
    const from = new Date(Date.now() - 60_000).toISOString();
    await caller.wallets.fund({ walletId: wallet.id, amount: '0.10' });
    await caller.wallets.fund({ walletId: wallet.id, amount: '0.20' });
    const to = new Date(Date.now() + 1_000).toISOString();
    const series = await caller.wallets.balanceSeries({ walletId: wallet.id, from, to, points: 5 });
    expect(series.points).toHaveLength(5);
    expect(series.openingBalance).toBe('0.00');
    // 0.10 + 0.20 exactly, as text: no float on the way.
    expect(series.closingBalance).toBe('0.30');
    expect(series.points.every((point) => typeof point.balance === 'string')).toBe(true);
  });
});
