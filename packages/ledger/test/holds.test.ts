import { schema } from '@wallet/db';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import {
  createLedger,
  CaptureExceedsHoldError,
  CurrencyMismatchError,
  DuplicateHoldKeyError,
  DuplicateIdempotencyKeyError,
  externalAccountIdOf,
  HoldNotFoundError,
  HoldNotPendingError,
  InsufficientFundsError,
  InvalidInputError,
  SameWalletTransferError,
  WalletNotFoundError,
} from '../src';
import { expectContiguousChain } from './chain';
import { useTestLedger } from './support';

const testLedger = await useTestLedger(30);
const { ledger, db } = testLedger;

async function fundedWallet(amount: number | string, currency: 'USD' | 'JPY' = 'USD') {
  const wallet = await ledger.createWallet({ currency });
  if (Number(amount) > 0) await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

function ownerContext() {
  const actor = `key:${uuidv7()}`;
  return { actor, owner: actor, requestId: `req-${actor}` };
}

async function balanceOf(walletId: string) {
  const { balanceMinor, heldMinor, availableMinor } = await ledger.getWalletBalance({ walletId });
  return { balanceMinor, heldMinor, availableMinor };
}

async function entriesOfHold(holdId: string) {
  return db.select().from(schema.ledgerEntries).where(eq(schema.ledgerEntries.holdId, holdId));
}

async function expectCleanLedger() {
  expect((await ledger.verify()).violations).toEqual([]);
}

describe('placeHold', () => {
  it('reserves the amount: held rises, available falls, the balance and history stay', async () => {
    const walletId = await fundedWallet(100);
    const { hold, wallet } = await ledger.placeHold({ walletId, amount: '30.25' });
    expect(hold).toMatchObject({
      walletId,
      receiverWalletId: null,
      currency: 'USD',
      amountMinor: 3025n,
      capturedMinor: 0n,
      status: 'PENDING',
      expiresAt: null,
      resolvedAt: null,
      captureTransactionId: null,
    });
    expect(wallet).toMatchObject({ balanceMinor: 10000n, heldMinor: 3025n, availableMinor: 6975n });
    expect(await balanceOf(walletId)).toEqual({
      balanceMinor: 10000n,
      heldMinor: 3025n,
      availableMinor: 6975n,
    });
    expect(await ledger.getHold({ holdId: hold.id })).toEqual(hold);
    expect((await ledger.getWallet({ walletId })).transactions).toHaveLength(1);
    await expectCleanLedger();
  });

  it('refuses more than available with INSUFFICIENT_FUNDS, counting the other holds', async () => {
    const walletId = await fundedWallet(10);
    await ledger.placeHold({ walletId, amount: 6 });
    const refusal = ledger.placeHold({ walletId, amount: 4.01 });
    await expect(refusal).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(refusal).rejects.toMatchObject({
      details: { available: '4.00', requested: '4.01' },
    });
    await expect(ledger.placeHold({ walletId, amount: 4 })).resolves.toMatchObject({
      wallet: { availableMinor: 0n, heldMinor: 1000n },
    });
  });

  it('refuses a bad receiver, a bad expiry and a missing wallet, and writes nothing', async () => {
    const walletId = await fundedWallet(10);
    const jpy = await fundedWallet(0, 'JPY');
    const cases: [() => Promise<unknown>, new (...args: never[]) => Error][] = [
      [
        () => ledger.placeHold({ walletId, amount: 1, receiverWalletId: jpy }),
        CurrencyMismatchError,
      ],
      [
        () => ledger.placeHold({ walletId, amount: 1, receiverWalletId: walletId }),
        SameWalletTransferError,
      ],
      [
        () => ledger.placeHold({ walletId, amount: 1, receiverWalletId: uuidv7() }),
        WalletNotFoundError,
      ],
      [() => ledger.placeHold({ walletId: uuidv7(), amount: 1 }), WalletNotFoundError],
      [
        () =>
          ledger.placeHold({
            walletId,
            amount: 1,
            expiresAt: new Date(Date.now() - 1000).toISOString(),
          }),
        InvalidInputError,
      ],
      [
        () =>
          ledger.placeHold({
            walletId,
            amount: 1,
            expiresAt: new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString(),
          }),
        InvalidInputError,
      ],
      [() => ledger.placeHold({ walletId, amount: 0.001 }), InvalidInputError],
      [
        () => ledger.placeHold({ walletId: externalAccountIdOf('USD'), amount: 1 }),
        WalletNotFoundError,
      ],
    ];
    for (const [write, error] of cases) await expect(write()).rejects.toBeInstanceOf(error);
    expect(await balanceOf(walletId)).toEqual({
      balanceMinor: 1000n,
      heldMinor: 0n,
      availableMinor: 1000n,
    });
    expect((await ledger.listHolds({ walletId })).items).toEqual([]);
  });

  it('spends its idempotency key once: a retry names the hold', async () => {
    const walletId = await fundedWallet(10);
    const context = ownerContext();
    const request = { walletId, amount: 2, idempotencyKey: `h-${walletId}` };
    const { hold } = await ledger.placeHold(request, context);
    const retry = ledger.placeHold(request, context);
    await expect(retry).rejects.toBeInstanceOf(DuplicateHoldKeyError);
    await expect(retry).rejects.toMatchObject({ holdId: hold.id, sameRequest: true });
    await expect(ledger.placeHold({ ...request, amount: 3 }, context)).rejects.toMatchObject({
      holdId: hold.id,
      sameRequest: false,
    });
    // Another owner's equal key is its own.
    await expect(ledger.placeHold(request, ownerContext())).resolves.toBeDefined();
    expect((await balanceOf(walletId)).heldMinor).toBe(400n);
  });
});

describe('transfers and withdrawals check available', () => {
  it('refuses a debit that only the held money would cover', async () => {
    const walletId = await fundedWallet(10);
    const other = await fundedWallet(0);
    await ledger.placeHold({ walletId, amount: 7 });
    for (const write of [
      () =>
        ledger.transferFunds({ senderWalletId: walletId, receiverWalletId: other, amount: 3.01 }),
      () => ledger.withdrawFunds({ walletId, amount: 3.01 }),
    ]) {
      await expect(write()).rejects.toMatchObject({
        code: 'INSUFFICIENT_FUNDS',
        details: { available: '3.00', requested: '3.01' },
      });
    }
    await ledger.transferFunds({ senderWalletId: walletId, receiverWalletId: other, amount: 2 });
    await ledger.withdrawFunds({ walletId, amount: 1 });
    expect(await balanceOf(walletId)).toEqual({
      balanceMinor: 700n,
      heldMinor: 700n,
      availableMinor: 0n,
    });
    await expectCleanLedger();
  });
});

describe('captureHold', () => {
  it('captures all to the receiver: a transfer naming the hold', async () => {
    const payer = await fundedWallet(50);
    const receiver = await fundedWallet(5);
    const { hold } = await ledger.placeHold({
      walletId: payer,
      amount: 20,
      receiverWalletId: receiver,
      description: 'order 42',
    });
    const result = await ledger.captureHold({ holdId: hold.id });
    expect(result.hold).toMatchObject({
      status: 'CAPTURED',
      capturedMinor: 2000n,
      captureTransactionId: result.transactionId,
    });
    expect(result.hold.resolvedAt).toBeInstanceOf(Date);
    expect(result.wallet).toMatchObject({ balanceMinor: 3000n, heldMinor: 0n });
    expect(result.receiver).toMatchObject({ balanceMinor: 2500n, heldMinor: 0n });
    const detail = await ledger.getTransaction({ transactionId: result.transactionId });
    expect(detail).toMatchObject({ kind: 'TRANSFER', amountMinor: 2000n, description: 'order 42' });
    expect(detail.legs.map((leg) => [leg.type, leg.walletId])).toEqual([
      ['TRANSFER_OUT', payer],
      ['TRANSFER_IN', receiver],
    ]);
    expect((await entriesOfHold(hold.id)).map((entry) => entry.type).sort()).toEqual([
      'TRANSFER_IN',
      'TRANSFER_OUT',
    ]);
    expect(await ledger.getHold({ holdId: hold.id })).toEqual(result.hold);
    await expectContiguousChain(testLedger, payer);
    await expectContiguousChain(testLedger, receiver);
    await expectCleanLedger();
  });

  it('captures part out as a withdrawal: the rest is released', async () => {
    const payer = await fundedWallet(50);
    const { hold } = await ledger.placeHold({ walletId: payer, amount: 20 });
    const result = await ledger.captureHold({ holdId: hold.id, amount: '12.5' });
    expect(result.receiver).toBeNull();
    expect(result.hold).toMatchObject({ status: 'CAPTURED', capturedMinor: 1250n });
    expect(await balanceOf(payer)).toEqual({
      balanceMinor: 3750n,
      heldMinor: 0n,
      availableMinor: 3750n,
    });
    const detail = await ledger.getTransaction({ transactionId: result.transactionId });
    expect(detail).toMatchObject({ kind: 'WITHDRAWAL', amountMinor: 1250n });
    const entries = await entriesOfHold(hold.id);
    expect(entries.map((entry) => [entry.type, entry.walletId]).sort()).toEqual([
      ['WITHDRAWAL', payer],
      ['WITHDRAWAL_COUNTER', externalAccountIdOf('USD')],
    ]);
    await expectContiguousChain(testLedger, externalAccountIdOf('USD'));
    await expectCleanLedger();
  });

  it('refuses a second capture, a capture after a void, more than the hold, and a missing hold', async () => {
    const payer = await fundedWallet(50);
    const { hold } = await ledger.placeHold({ walletId: payer, amount: 10 });
    await expect(ledger.captureHold({ holdId: hold.id, amount: 10.01 })).rejects.toBeInstanceOf(
      CaptureExceedsHoldError,
    );
    await ledger.captureHold({ holdId: hold.id, amount: 1 });
    const again = ledger.captureHold({ holdId: hold.id, amount: 1 });
    await expect(again).rejects.toBeInstanceOf(HoldNotPendingError);
    await expect(again).rejects.toMatchObject({ details: { status: 'CAPTURED' } });
    await expect(ledger.voidHold({ holdId: hold.id })).rejects.toBeInstanceOf(HoldNotPendingError);
    const { hold: voided } = await ledger.placeHold({ walletId: payer, amount: 10 });
    await ledger.voidHold({ holdId: voided.id });
    await expect(ledger.captureHold({ holdId: voided.id })).rejects.toMatchObject({
      code: 'HOLD_NOT_PENDING',
      details: { status: 'VOIDED' },
    });
    await expect(ledger.captureHold({ holdId: uuidv7() })).rejects.toBeInstanceOf(
      HoldNotFoundError,
    );
    expect(await balanceOf(payer)).toEqual({
      balanceMinor: 4900n,
      heldMinor: 0n,
      availableMinor: 4900n,
    });
    await expectCleanLedger();
  });

  it('spends its idempotency key once: a retry names the capture', async () => {
    const payer = await fundedWallet(50);
    const { hold } = await ledger.placeHold({ walletId: payer, amount: 10 });
    const context = ownerContext();
    const request = { holdId: hold.id, amount: 4, idempotencyKey: `c-${hold.id}` };
    const first = await ledger.captureHold(request, context);
    const retry = ledger.captureHold(request, context);
    await expect(retry).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    await expect(retry).rejects.toMatchObject({
      originalTransactionId: first.transactionId,
      sameRequest: true,
    });
  });
});

describe('voidHold', () => {
  it('releases the whole hold and moves nothing', async () => {
    const payer = await fundedWallet(50);
    const { hold } = await ledger.placeHold({ walletId: payer, amount: 10 });
    const result = await ledger.voidHold({ holdId: hold.id });
    expect(result.hold).toMatchObject({ status: 'VOIDED', capturedMinor: 0n });
    expect(result.wallet).toMatchObject({
      balanceMinor: 5000n,
      heldMinor: 0n,
      availableMinor: 5000n,
    });
    expect(await entriesOfHold(hold.id)).toEqual([]);
    const listed = await ledger.listHolds({ walletId: payer, status: 'VOIDED' });
    expect(listed.items.map((item) => item.id)).toEqual([hold.id]);
    await expectCleanLedger();
  });
});

describe('holds under concurrency', () => {
  it('two captures at once: one wins, the other is HOLD_NOT_PENDING', async () => {
    const payer = await fundedWallet(50);
    const receiver = await fundedWallet(0);
    for (let round = 0; round < 5; round++) {
      const { hold } = await ledger.placeHold({
        walletId: payer,
        amount: 1,
        receiverWalletId: receiver,
      });
      const outcomes = await Promise.allSettled([
        ledger.captureHold({ holdId: hold.id }),
        ledger.captureHold({ holdId: hold.id, amount: 0.5 }),
      ]);
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(HoldNotPendingError);
      expect(await entriesOfHold(hold.id)).toHaveLength(2);
    }
    await expectCleanLedger();
  });

  it('two processes capture at once (two transactions, the hold row locked): one wins', async () => {
    // A second ledger is a second API process: its own group committer, its own batches.
    const other = createLedger(db);
    const payer = await fundedWallet(50);
    for (let round = 0; round < 5; round++) {
      const { hold } = await ledger.placeHold({ walletId: payer, amount: 1 });
      const outcomes = await Promise.allSettled([
        ledger.captureHold({ holdId: hold.id }),
        other.captureHold({ holdId: hold.id }),
        other.voidHold({ holdId: hold.id }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          expect(outcome.reason).toBeInstanceOf(HoldNotPendingError);
      }
    }
    expect((await balanceOf(payer)).heldMinor).toBe(0n);
    await expectCleanLedger();
  });

  it('a capture and a void at once: exactly one resolves the hold', async () => {
    const payer = await fundedWallet(50);
    for (let round = 0; round < 5; round++) {
      const { hold } = await ledger.placeHold({ walletId: payer, amount: 2 });
      const outcomes = await Promise.allSettled([
        ledger.voidHold({ holdId: hold.id }),
        ledger.captureHold({ holdId: hold.id }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const { status } = await ledger.getHold({ holdId: hold.id });
      expect(['VOIDED', 'CAPTURED']).toContain(status);
    }
    expect((await balanceOf(payer)).heldMinor).toBe(0n);
    await expectCleanLedger();
  });

  it('holds, transfers and withdrawals racing on one wallet never take more than available', async () => {
    const payer = await fundedWallet(10);
    const other = await fundedWallet(0);
    const writes = Array.from({ length: 40 }, (_, index) => {
      if (index % 3 === 0) return ledger.placeHold({ walletId: payer, amount: 1 });
      if (index % 3 === 1)
        return ledger.transferFunds({ senderWalletId: payer, receiverWalletId: other, amount: 1 });
      return ledger.withdrawFunds({ walletId: payer, amount: 1 });
    });
    const outcomes = await Promise.allSettled(writes);
    const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(succeeded).toHaveLength(10);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(InsufficientFundsError);
      }
    }
    expect((await balanceOf(payer)).availableMinor).toBe(0n);
    await expectCleanLedger();
  });
});
