import { describe, expect, it } from 'vitest';

import { InvalidInputError, WalletNotFoundError } from '../src';
import { useTestLedger } from './support';

const { ledger } = await useTestLedger();
const unknownId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

describe('createWallet', () => {
  it('creates an empty USD wallet by default', async () => {
    const wallet = await ledger.createWallet({});
    expect(wallet).toMatchObject({ currency: 'USD', balanceMinor: 0n });
    expect(wallet.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(wallet.createdAt).toBeInstanceOf(Date);
  });

  it('creates a wallet in another supported currency', async () => {
    expect((await ledger.createWallet({ currency: 'JPY' })).currency).toBe('JPY');
  });

  it('refuses an unsupported currency', async () => {
    await expect(ledger.createWallet({ currency: 'XYZ' as 'USD' })).rejects.toThrow(
      InvalidInputError,
    );
  });
});

describe('getWallet', () => {
  it('returns the wallet with an empty history', async () => {
    const created = await ledger.createWallet({});
    const wallet = await ledger.getWallet({ walletId: created.id });
    expect(wallet).toMatchObject({ id: created.id, balanceMinor: 0n, transactions: [] });
    expect(wallet.nextCursor).toBeNull();
  });

  it('names a wallet that does not exist', async () => {
    const failure = ledger.getWallet({ walletId: unknownId });
    await expect(failure).rejects.toBeInstanceOf(WalletNotFoundError);
    await expect(failure).rejects.toThrow(`Wallet ${unknownId} not found`);
  });

  it('refuses an id that is not a UUID', async () => {
    await expect(ledger.getWallet({ walletId: 'nope' })).rejects.toThrow('walletId must be a UUID');
  });
});

describe('listWallets', () => {
  it('pages through every wallet, newest first, without repeats', async () => {
    const created = [];
    for (let i = 0; i < 7; i++) created.push((await ledger.createWallet({})).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.listWallets({ limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((wallet) => wallet.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const newestFirst = created.toReversed();
    expect(seen.slice(0, newestFirst.length)).toEqual(newestFirst);
  });

  it('pages through the wallets of one currency only, newest first', async () => {
    const chf: string[] = [];
    for (let i = 0; i < 3; i++) {
      chf.push((await ledger.createWallet({ currency: 'CHF' })).id);
      await ledger.createWallet({ currency: 'USD' });
    }
    const first = await ledger.listWallets({ currency: 'CHF', limit: 2 });
    const second = await ledger.listWallets({
      currency: 'CHF',
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    const seen = [...first.items, ...second.items];
    expect(seen.every((wallet) => wallet.currency === 'CHF')).toBe(true);
    expect(seen.map((wallet) => wallet.id)).toEqual(chf.toReversed());
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a malformed cursor, an oversized page and an unknown currency', async () => {
    await expect(ledger.listWallets({ currency: 'XYZ' as 'USD' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(ledger.listWallets({ cursor: 'x' })).rejects.toThrow('cursor is not valid');
    await expect(ledger.listWallets({ limit: 1000 })).rejects.toThrow('limit must be at most 100');
  });
});
