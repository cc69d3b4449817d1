import { describe, expect, it } from 'vitest';

import {
  BalanceLimitExceededError,
  DuplicateIdempotencyKeyError,
  InvalidInputError,
  WalletNotFoundError,
} from '../src';
import { expectContiguousChain } from './chain';
import { useTestLedger } from './support';

const testLedger = await useTestLedger();
const { ledger } = testLedger;

describe('fundWallet', () => {
  it('credits the wallet and writes one FUND entry', async () => {
    const { id } = await ledger.createWallet({});
    const { wallet, entry } = await ledger.fundWallet({
      walletId: id,
      amount: 100.5,
      description: 'Initial funding',
    });
    expect(wallet.balanceMinor).toBe(10050n);
    expect(entry).toMatchObject({
      walletId: id,
      sequence: 1,
      type: 'FUND',
      amountMinor: 10050n,
      balanceBeforeMinor: 0n,
      balanceAfterMinor: 10050n,
      status: 'COMPLETED',
      description: 'Initial funding',
      counterpartyWalletId: null,
      transferId: null,
    });
  });

  it('adds decimals exactly: 0.1 + 0.2 is 0.3', async () => {
    const { id } = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: id, amount: 0.1 });
    const { wallet } = await ledger.fundWallet({ walletId: id, amount: 0.2 });
    expect(wallet.balanceMinor).toBe(30n);
  });

  it('one thousand fundings of 0.01 make exactly 10.00', async () => {
    const { id } = await ledger.createWallet({});
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 100 }, () => ledger.fundWallet({ walletId: id, amount: 0.01 })),
      );
    }
    expect(await expectContiguousChain(testLedger, id)).toBe(1000n);
  });

  it("follows the currency's minor units", async () => {
    const yen = await ledger.createWallet({ currency: 'JPY' });
    const dinar = await ledger.createWallet({ currency: 'KWD' });
    await expect(ledger.fundWallet({ walletId: yen.id, amount: 1.5 })).rejects.toThrow(
      'amount must be a whole number in this currency (JPY)',
    );
    expect((await ledger.fundWallet({ walletId: yen.id, amount: 500 })).wallet.balanceMinor).toBe(
      500n,
    );
    expect(
      (await ledger.fundWallet({ walletId: dinar.id, amount: '1.234' })).wallet.balanceMinor,
    ).toBe(1234n);
  });

  it.each([
    [0, 'amount must be positive'],
    [-5, 'amount must be positive'],
    [100.123, 'amount must have at most 2 decimal places in this currency (USD)'],
    [Number.POSITIVE_INFINITY, 'amount must be a positive decimal number'],
    ['1e3', 'amount must be a decimal number'],
  ])('refuses the amount %s and writes nothing', async (amount, message) => {
    const { id } = await ledger.createWallet({});
    const failure = ledger.fundWallet({ walletId: id, amount });
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toThrow(message);
    expect((await ledger.getWallet({ walletId: id })).transactions).toEqual([]);
  });

  it('refuses an unknown wallet', async () => {
    const walletId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';
    await expect(ledger.fundWallet({ walletId, amount: 1 })).rejects.toBeInstanceOf(
      WalletNotFoundError,
    );
  });

  it('refuses a credit past the largest balance', async () => {
    const { id } = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: id, amount: '9999999999999.99' });
    const failure = ledger.fundWallet({ walletId: id, amount: 0.01 });
    await expect(failure).rejects.toBeInstanceOf(BalanceLimitExceededError);
    await expect(failure).rejects.toThrow('cannot hold more than 9999999999999.99 USD');
  });
});

describe('fundWallet idempotency', () => {
  it('applies a key once and names the original transaction on a retry', async () => {
    const { id } = await ledger.createWallet({});
    const request = { walletId: id, amount: 5, idempotencyKey: `fund-${id}` };
    const first = await ledger.fundWallet(request);
    const retry = ledger.fundWallet(request);
    await expect(retry).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    await expect(retry).rejects.toMatchObject({
      originalTransactionId: first.entry.id,
      sameRequest: true,
      details: { idempotencyKey: request.idempotencyKey, originalTransactionId: first.entry.id },
    });
    await expect(retry).rejects.toThrow(first.entry.id);
    expect((await ledger.getWallet({ walletId: id })).balanceMinor).toBe(500n);
  });

  it('tells a different request with a used key from a retry', async () => {
    const { id } = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: id, amount: 5, idempotencyKey: `k-${id}` });
    const other = ledger.fundWallet({ walletId: id, amount: 6, idempotencyKey: `k-${id}` });
    await expect(other).rejects.toMatchObject({ sameRequest: false });
    await expect(other).rejects.toThrow('already used by a different request');
  });

  it('fifty concurrent requests with one key apply exactly once', async () => {
    const { id } = await ledger.createWallet({});
    const request = { walletId: id, amount: 1, idempotencyKey: `storm-${id}` };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => ledger.fundWallet(request)),
    );
    const applied = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const outcome of refused) {
      expect(outcome.reason).toBeInstanceOf(DuplicateIdempotencyKeyError);
    }
    expect(await expectContiguousChain(testLedger, id)).toBe(100n);
  });

  it('leaves the key free when the operation is refused', async () => {
    const { id } = await ledger.createWallet({ currency: 'JPY' });
    const key = `refused-${id}`;
    await expect(
      ledger.fundWallet({ walletId: id, amount: 1.5, idempotencyKey: key }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const { wallet } = await ledger.fundWallet({ walletId: id, amount: 2, idempotencyKey: key });
    expect(wallet.balanceMinor).toBe(2n);
  });
});
