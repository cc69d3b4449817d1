import { schema } from '@wallet/db';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import {
  DuplicateIdempotencyKeyError,
  externalAccountIdOf,
  InsufficientFundsError,
  InvalidInputError,
  ReversalExceedsOriginalError,
  TransactionNotFoundError,
  TransactionNotReversibleError,
} from '../src';
import { expectContiguousChain } from './chain';
import { useTestLedger } from './support';

const testLedger = await useTestLedger(30);
const { ledger, db } = testLedger;
const { ledgerEntries, ledgerEvents, transactionReversals } = schema;

async function fundedWallet(amount: number | string) {
  const wallet = await ledger.createWallet({});
  const funded = await ledger.fundWallet({ walletId: wallet.id, amount });
  return { walletId: wallet.id, fundingId: funded.entry.id };
}

async function transferBetween(amount: number) {
  const { walletId: sender } = await fundedWallet(amount);
  const receiver = (await ledger.createWallet({})).id;
  const { transferId } = await ledger.transferFunds({
    senderWalletId: sender,
    receiverWalletId: receiver,
    amount,
  });
  return { sender, receiver, transferId };
}

async function balanceOf(walletId: string) {
  return (await ledger.getWallet({ walletId })).balanceMinor;
}

async function reversedRow(originalId: string) {
  const [row] = await db
    .select()
    .from(transactionReversals)
    .where(eq(transactionReversals.originalId, originalId));
  return row;
}

describe('reverseTransaction', () => {
  it('reverses a whole funding: a linked WITHDRAWAL and counter-entry, shown both ways', async () => {
    const { walletId, fundingId } = await fundedWallet(25.5);
    const result = await ledger.reverseTransaction({
      transactionId: fundingId,
      description: 'sent by mistake',
    });
    expect(result).toMatchObject({
      originalId: fundingId,
      currency: 'USD',
      amountMinor: 2550n,
      originalAmountMinor: 2550n,
      reversedMinor: 2550n,
      wallets: [{ id: walletId, balanceMinor: 0n }],
    });
    const entries = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.reversesTransactionId, fundingId));
    expect(entries.map((entry) => [entry.type, entry.walletId]).sort()).toEqual(
      [
        ['WITHDRAWAL', walletId],
        ['WITHDRAWAL_COUNTER', externalAccountIdOf('USD')],
      ].sort(),
    );
    const [latest, funding] = (await ledger.getWallet({ walletId })).transactions;
    expect(latest).toMatchObject({
      id: result.reversalId,
      type: 'WITHDRAWAL',
      reversesTransactionId: fundingId,
      description: 'sent by mistake',
    });
    expect(funding).toMatchObject({ id: fundingId, reversedMinor: 2550n });
    const original = await ledger.getTransaction({ transactionId: fundingId });
    expect(original).toMatchObject({
      kind: 'FUND',
      reversedMinor: 2550n,
      reversesTransactionId: null,
    });
    expect(original.reversals).toEqual([
      { id: result.reversalId, amountMinor: 2550n, createdAt: latest?.createdAt },
    ]);
    const reversal = await ledger.getTransaction({ transactionId: result.reversalId });
    expect(reversal).toMatchObject({
      kind: 'REVERSAL',
      reversesTransactionId: fundingId,
      amountMinor: 2550n,
      reversals: [],
    });
    expect(await reversedRow(fundingId)).toMatchObject({
      originalMinor: 2550n,
      reversedMinor: 2550n,
    });
    expect(await expectContiguousChain(testLedger, walletId)).toBe(0n);
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('reverses a transfer in parts up to its amount, then refuses one cent more', async () => {
    const { sender, receiver, transferId } = await transferBetween(10);
    for (const amount of ['2.50', '5', '2.49']) {
      await ledger.reverseTransaction({ transactionId: transferId, amount });
    }
    expect([await balanceOf(sender), await balanceOf(receiver)]).toEqual([999n, 1n]);
    const refusal = ledger.reverseTransaction({ transactionId: transferId, amount: '0.02' });
    await expect(refusal).rejects.toBeInstanceOf(ReversalExceedsOriginalError);
    await expect(refusal).rejects.toMatchObject({
      code: 'REVERSAL_EXCEEDS_ORIGINAL',
      details: {
        transactionId: transferId,
        original: '10.00',
        remaining: '0.01',
        requested: '0.02',
      },
    });
    // No amount: all that is left; then nothing is left.
    const last = await ledger.reverseTransaction({ transactionId: transferId });
    expect(last).toMatchObject({ amountMinor: 1n, reversedMinor: 1000n });
    expect(last.wallets.map((wallet) => [wallet.id, wallet.balanceMinor])).toEqual([
      [receiver, 0n],
      [sender, 1000n],
    ]);
    await expect(ledger.reverseTransaction({ transactionId: transferId })).rejects.toMatchObject({
      code: 'REVERSAL_EXCEEDS_ORIGINAL',
      details: { remaining: '0.00' },
    });
    const detail = await ledger.getTransaction({ transactionId: transferId });
    expect(detail.reversals.map((reversal) => reversal.amountMinor)).toEqual([
      250n,
      500n,
      249n,
      1n,
    ]);
    expect(detail.legs.map((leg) => leg.reversedMinor)).toEqual([1000n, 1000n]);
    const [reversalLeg] = (await ledger.getWallet({ walletId: sender })).transactions;
    expect(reversalLeg).toMatchObject({
      type: 'TRANSFER_IN',
      counterpartyWalletId: receiver,
      reversesTransactionId: transferId,
    });
    // A leg's id names its reversal, whose two legs both link to the original.
    const byLeg = await ledger.getTransaction({ transactionId: reversalLeg?.id ?? '' });
    expect(byLeg).toMatchObject({ id: last.reversalId, kind: 'REVERSAL', amountMinor: 1n });
    expect(byLeg.legs.map((leg) => [leg.type, leg.reversesTransactionId])).toEqual([
      ['TRANSFER_OUT', transferId],
      ['TRANSFER_IN', transferId],
    ]);
    expect(await reversedRow(transferId)).toMatchObject({ reversedMinor: 1000n });
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('records one transaction.reversed event per reversal, naming both wallets of a transfer', async () => {
    const { sender, receiver, transferId } = await transferBetween(4);
    const { reversalId } = await ledger.reverseTransaction({
      transactionId: transferId,
      amount: '1.5',
    });
    const events = await db
      .select()
      .from(ledgerEvents)
      .where(eq(ledgerEvents.transactionId, reversalId));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'transaction.reversed',
      walletId: receiver,
      counterpartyWalletId: sender,
      amountMinor: 150n,
    });
    expect(events[0]?.payload).toMatchObject({
      originalTransactionId: transferId,
      amount: '1.50',
      sender: { walletId: receiver, balanceAfter: '2.50' },
      receiver: { walletId: sender },
    });
  });

  it('reverses a withdrawal: the money comes back from the external account', async () => {
    const { walletId } = await fundedWallet(10);
    const withdrawal = await ledger.withdrawFunds({ walletId, amount: 4 });
    const result = await ledger.reverseTransaction({
      transactionId: withdrawal.entry.id,
      amount: 1.5,
    });
    expect(result.wallets).toMatchObject([{ id: walletId, balanceMinor: 750n }]);
    const [latest] = (await ledger.getWallet({ walletId })).transactions;
    expect(latest).toMatchObject({ type: 'FUND', reversesTransactionId: withdrawal.entry.id });
    expect(await expectContiguousChain(testLedger, walletId)).toBe(750n);
    await expectContiguousChain(testLedger, externalAccountIdOf('USD'));
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('refuses when the money is no longer there, exactly like a transfer, and writes nothing', async () => {
    const { receiver, transferId } = await transferBetween(5);
    await ledger.withdrawFunds({ walletId: receiver, amount: 4 });
    const refusal = ledger.reverseTransaction({ transactionId: transferId, amount: 2 });
    await expect(refusal).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(refusal).rejects.toMatchObject({
      details: { walletId: receiver, available: '1.00', requested: '2.00' },
    });
    expect(await reversedRow(transferId)).toBeUndefined();
    await expect(
      ledger.reverseTransaction({ transactionId: transferId, amount: 1 }),
    ).resolves.toMatchObject({ reversedMinor: 100n });
  });

  it('refuses a reversal of a reversal, an unknown id, a counter-entry and bad input', async () => {
    const { fundingId } = await fundedWallet(3);
    const reversal = await ledger.reverseTransaction({ transactionId: fundingId, amount: 1 });
    await expect(
      ledger.reverseTransaction({ transactionId: reversal.reversalId }),
    ).rejects.toBeInstanceOf(TransactionNotReversibleError);
    await expect(ledger.reverseTransaction({ transactionId: uuidv7() })).rejects.toBeInstanceOf(
      TransactionNotFoundError,
    );
    const [counter] = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.transferId, fundingId), eq(ledgerEntries.type, 'FUND_COUNTER')));
    await expect(
      ledger.reverseTransaction({ transactionId: counter?.id ?? '' }),
    ).rejects.toBeInstanceOf(TransactionNotFoundError);
    for (const input of [
      { transactionId: fundingId, amount: 0 },
      { transactionId: fundingId, amount: '0.001' },
      { transactionId: 'not-a-uuid' },
      { transactionId: fundingId, walletId: fundingId },
    ]) {
      await expect(ledger.reverseTransaction(input as never)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
    }
    expect(await reversedRow(fundingId)).toMatchObject({ reversedMinor: 100n });
  });

  it('spends an idempotency key once per owner; a retry is told the reversal, a refusal frees it', async () => {
    const { fundingId } = await fundedWallet(10);
    const actor = `key:${uuidv7()}`;
    const context = { actor, owner: actor, requestId: 'req-reverse' };
    const key = `rev-${fundingId}`;
    await expect(
      ledger.reverseTransaction(
        { transactionId: fundingId, amount: 11, idempotencyKey: key },
        context,
      ),
    ).rejects.toBeInstanceOf(ReversalExceedsOriginalError);
    const request = { transactionId: fundingId, amount: 4, idempotencyKey: key };
    const first = await ledger.reverseTransaction(request, context);
    const retry = ledger.reverseTransaction(request, context);
    await expect(retry).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    await expect(retry).rejects.toMatchObject({
      originalTransactionId: first.reversalId,
      sameRequest: true,
    });
    await expect(
      ledger.reverseTransaction({ ...request, amount: 5 }, context),
    ).rejects.toMatchObject({ sameRequest: false });
    expect(await reversedRow(fundingId)).toMatchObject({ reversedMinor: 400n });
    const audit = await db
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.target, fundingId),
          eq(schema.auditLog.action, 'transactions.reverse'),
        ),
      );
    expect(audit.map((row) => row.outcome)).toEqual(['refused', 'success', 'refused', 'refused']);
  });
});
