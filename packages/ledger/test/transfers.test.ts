import { describe, expect, it } from 'vitest';

import {
  CurrencyMismatchError,
  DuplicateIdempotencyKeyError,
  InsufficientFundsError,
  InvalidInputError,
  SameWalletTransferError,
  WalletNotFoundError,
} from '../src';
import { expectContiguousChain } from './chain';
import { useTestLedger } from './support';

const testLedger = await useTestLedger(30);
const { ledger } = testLedger;
const unknownId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

async function fundedWallet(amount: number | string, currency: 'USD' | 'EUR' = 'USD') {
  const wallet = await ledger.createWallet({ currency });
  await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

describe('transferFunds', () => {
  it('moves money and pairs the two entries', async () => {
    const senderWalletId = await fundedWallet(100.5);
    const receiverWalletId = await fundedWallet(0.25);
    const result = await ledger.transferFunds({
      senderWalletId,
      receiverWalletId,
      amount: 50.25,
      description: 'Payment for services',
    });
    expect(result.sender).toMatchObject({ id: senderWalletId, balanceMinor: 5025n });
    expect(result.receiver).toMatchObject({ id: receiverWalletId, balanceMinor: 5050n });

    const [debit] = (await ledger.getWallet({ walletId: senderWalletId })).transactions;
    const [credit] = (await ledger.getWallet({ walletId: receiverWalletId })).transactions;
    expect(debit).toMatchObject({
      type: 'TRANSFER_OUT',
      amountMinor: 5025n,
      balanceBeforeMinor: 10050n,
      balanceAfterMinor: 5025n,
      counterpartyWalletId: receiverWalletId,
      transferId: result.transferId,
      description: 'Payment for services',
    });
    expect(credit).toMatchObject({
      type: 'TRANSFER_IN',
      amountMinor: 5025n,
      balanceBeforeMinor: 25n,
      balanceAfterMinor: 5050n,
      counterpartyWalletId: senderWalletId,
      transferId: result.transferId,
    });
  });

  it('refuses an overdraft and writes nothing', async () => {
    const senderWalletId = await fundedWallet(10);
    const receiverWalletId = await fundedWallet(1);
    const failure = ledger.transferFunds({ senderWalletId, receiverWalletId, amount: 10.01 });
    await expect(failure).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(failure).rejects.toThrow('has 10.00 USD available, the movement needs 10.01 USD');
    await expect(failure).rejects.toMatchObject({
      details: {
        walletId: senderWalletId,
        available: '10.00',
        requested: '10.01',
        currency: 'USD',
      },
    });
    expect(await expectContiguousChain(testLedger, senderWalletId)).toBe(1000n);
    expect(await expectContiguousChain(testLedger, receiverWalletId)).toBe(100n);
  });

  it('refuses a transfer to the same wallet', async () => {
    const id = await fundedWallet(10);
    await expect(
      ledger.transferFunds({ senderWalletId: id, receiverWalletId: id, amount: 1 }),
    ).rejects.toBeInstanceOf(SameWalletTransferError);
  });

  it('refuses a transfer between currencies', async () => {
    const senderWalletId = await fundedWallet(10, 'USD');
    const receiverWalletId = await fundedWallet(10, 'EUR');
    const failure = ledger.transferFunds({ senderWalletId, receiverWalletId, amount: 1 });
    await expect(failure).rejects.toBeInstanceOf(CurrencyMismatchError);
    await expect(failure).rejects.toThrow('(USD to EUR)');
  });

  it('names the missing wallet, sender or receiver', async () => {
    const id = await fundedWallet(10);
    for (const [senderWalletId, receiverWalletId] of [
      [id, unknownId],
      [unknownId, id],
    ] as const) {
      const failure = ledger.transferFunds({ senderWalletId, receiverWalletId, amount: 1 });
      await expect(failure).rejects.toBeInstanceOf(WalletNotFoundError);
      await expect(failure).rejects.toMatchObject({ walletId: unknownId });
    }
  });

  it('refuses malformed input, naming the fields', async () => {
    const failure = ledger.transferFunds({
      senderWalletId: 'x',
      receiverWalletId: unknownId,
      amount: 0,
    });
    await expect(failure).rejects.toBeInstanceOf(InvalidInputError);
    await expect(failure).rejects.toThrow('senderWalletId must be a UUID; amount must be positive');
  });

  it('spends an idempotency key once', async () => {
    const senderWalletId = await fundedWallet(10);
    const receiverWalletId = await fundedWallet(0.01);
    const request = {
      senderWalletId,
      receiverWalletId,
      amount: 1,
      idempotencyKey: `t-${senderWalletId}`,
    };
    const first = await ledger.transferFunds(request);
    await expect(ledger.transferFunds(request)).rejects.toMatchObject({
      originalTransactionId: first.transferId,
      sameRequest: true,
    });
    // A key is global: it cannot be reused for a funding either.
    await expect(
      ledger.fundWallet({
        walletId: senderWalletId,
        amount: 1,
        idempotencyKey: request.idempotencyKey,
      }),
    ).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    expect(await expectContiguousChain(testLedger, senderWalletId)).toBe(900n);
  });
});

describe('transferFunds under concurrency', () => {
  it('thirty concurrent 1.00 transfers from 10.00: exactly ten succeed', async () => {
    const senderWalletId = await fundedWallet(10);
    const receiverWalletId = await fundedWallet(0.01);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        ledger.transferFunds({ senderWalletId, receiverWalletId, amount: 1 }),
      ),
    );
    const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const reason of refused) expect(reason).toBeInstanceOf(InsufficientFundsError);
    expect(await expectContiguousChain(testLedger, senderWalletId)).toBe(0n);
    expect(await expectContiguousChain(testLedger, receiverWalletId)).toBe(1001n);
  });

  it('a storm of transfers in both directions: no deadlock, money conserved, chains intact', async () => {
    const walletIds = await Promise.all([100, 100, 100, 100].map((amount) => fundedWallet(amount)));
    // Every ordered pair of the four wallets, over and over: each pair also runs reversed.
    const pairs = Array.from({ length: 240 }, (_, i) => {
      const from = walletIds[i % 4] ?? '';
      const to = walletIds[(i + 1 + (Math.floor(i / 4) % 3)) % 4] ?? '';
      return [from, to] as const;
    });
    const outcomes = await Promise.allSettled(
      pairs.map(([senderWalletId, receiverWalletId], i) =>
        ledger.transferFunds({
          senderWalletId,
          receiverWalletId,
          amount: `${i % 5}.${10 + (i % 89)}`,
        }),
      ),
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(InsufficientFundsError);
      }
    }
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThan(
      pairs.length / 2,
    );
    let total = 0n;
    for (const id of walletIds) total += await expectContiguousChain(testLedger, id);
    expect(total).toBe(40000n);
  });
});
