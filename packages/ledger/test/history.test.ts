import { describe, expect, it } from 'vitest';

import { InvalidInputError, WalletNotFoundError } from '../src';
import { useTestLedger } from './support';

const { ledger } = await useTestLedger();

describe('listTransactions', () => {
  it('pages through a history newest first, each entry once', async () => {
    const { id } = await ledger.createWallet({});
    for (let i = 1; i <= 25; i++) await ledger.fundWallet({ walletId: id, amount: i });
    const sequences: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ledger.listTransactions({ walletId: id, limit: 10, cursor });
      sequences.push(...page.items.map((entry) => entry.sequence));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(sequences).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });

  it('filters by type', async () => {
    const a = await ledger.createWallet({});
    const b = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: a.id, amount: 10 });
    await ledger.transferFunds({ senderWalletId: a.id, receiverWalletId: b.id, amount: 3 });
    await ledger.fundWallet({ walletId: a.id, amount: 1 });
    const funds = await ledger.listTransactions({ walletId: a.id, type: 'FUND' });
    expect(funds.items.map((entry) => entry.type)).toEqual(['FUND', 'FUND']);
    const outs = await ledger.listTransactions({ walletId: a.id, type: 'TRANSFER_OUT' });
    expect(outs.items).toHaveLength(1);
    expect(outs.items[0]).toMatchObject({ amountMinor: 300n, counterpartyWalletId: b.id });
  });

  it('refuses a bad cursor and an unknown wallet', async () => {
    const { id } = await ledger.createWallet({});
    await expect(ledger.listTransactions({ walletId: id, cursor: 'abc' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(
      ledger.listTransactions({ walletId: '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b' }),
    ).rejects.toBeInstanceOf(WalletNotFoundError);
  });
});

describe('getWallet history', () => {
  it('embeds the latest page and a cursor to the rest', async () => {
    const { id } = await ledger.createWallet({});
    for (let i = 1; i <= 22; i++) await ledger.fundWallet({ walletId: id, amount: 1 });
    const wallet = await ledger.getWallet({ walletId: id });
    expect(wallet.balanceMinor).toBe(2200n);
    expect(wallet.transactions).toHaveLength(20);
    expect(wallet.transactions[0]?.balanceAfterMinor).toBe(2200n);
    expect(wallet.nextCursor).toBe('3');
    const rest = await ledger.listTransactions({ walletId: id, cursor: wallet.nextCursor ?? '' });
    expect(rest.items.map((entry) => entry.sequence)).toEqual([2, 1]);
    expect(rest.nextCursor).toBeNull();
  });
});
