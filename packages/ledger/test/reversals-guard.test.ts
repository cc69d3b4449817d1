import { createDatabase, schema } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it, inject } from 'vitest';

import {
  createLedger,
  externalAccountIdOf,
  ReversalExceedsOriginalError,
  type Ledger,
} from '../src';
import { expectRefusedBy } from './support';

/**
 * What guards a reversal's bound beyond the plan: two API processes (two ledgers, two
 * pools, on one database) reversing one original at once, and rows written by raw SQL
 * that the database itself must refuse.
 */
const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
const primary = createDatabase(testDatabase.url, { poolMax: 10 });
const secondary = createDatabase(testDatabase.url, { poolMax: 10 });
afterAll(async () => {
  await primary.close();
  await secondary.close();
  await testDatabase.drop();
});
const ledger = createLedger(primary.db);
const otherProcess = createLedger(secondary.db);
const { db } = primary;

/** Requests alternate between the two processes. */
function ledgerFor(index: number): Ledger {
  return index % 2 === 0 ? ledger : otherProcess;
}
const { ledgerEntries, transactionReversals, wallets } = schema;

async function fundedWallet(amount: number) {
  const wallet = await ledger.createWallet({});
  const funded = await ledger.fundWallet({ walletId: wallet.id, amount });
  return { walletId: wallet.id, fundingId: funded.entry.id };
}

async function reversedMinorOf(originalId: string) {
  const [row] = await db
    .select()
    .from(transactionReversals)
    .where(eq(transactionReversals.originalId, originalId));
  return row?.reversedMinor;
}

describe('reversals under concurrency', () => {
  it('forty reversals of 0.30 racing from two processes on a 1.00 transfer: exactly three', async () => {
    const { walletId: sender } = await fundedWallet(1);
    const receiver = (await ledger.createWallet({})).id;
    // The receiver holds more than the transfer: only the bound can stop the fourth.
    await ledger.fundWallet({ walletId: receiver, amount: 50 });
    const { transferId } = await ledger.transferFunds({
      senderWalletId: sender,
      receiverWalletId: receiver,
      amount: 1,
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        ledgerFor(index).reverseTransaction({ transactionId: transferId, amount: '0.30' }),
      ),
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(outcomes.length - refused.length).toBe(3);
    for (const reason of refused) expect(reason).toBeInstanceOf(ReversalExceedsOriginalError);
    expect(await reversedMinorOf(transferId)).toBe(90n);
    expect((await ledger.getWallet({ walletId: sender })).balanceMinor).toBe(90n);
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('whole reversals, partial ones and spending race on fundings: never past any original', async () => {
    const fundings = await Promise.all([5, 5, 5].map((amount) => fundedWallet(amount)));
    const writes = Array.from({ length: 45 }, (_, index) => {
      const funding = fundings[index % fundings.length];
      if (!funding) throw new Error('a funding per index');
      const { walletId, fundingId } = funding;
      const other = ledgerFor(index);
      if (index % 3 === 0) return other.reverseTransaction({ transactionId: fundingId });
      if (index % 3 === 1) return other.reverseTransaction({ transactionId: fundingId, amount: 2 });
      return other.withdrawFunds({ walletId, amount: 1 });
    });
    const outcomes = await Promise.allSettled(writes);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect((outcome.reason as { code: string }).code).toMatch(
          /^(REVERSAL_EXCEEDS_ORIGINAL|INSUFFICIENT_FUNDS)$/,
        );
      }
    }
    for (const { walletId, fundingId } of fundings) {
      const reversed = (await reversedMinorOf(fundingId)) ?? 0n;
      expect(reversed).toBeLessThanOrEqual(500n);
      expect((await ledger.getTransaction({ transactionId: fundingId })).reversedMinor).toBe(
        reversed,
      );
      expect((await ledger.getWallet({ walletId })).balanceMinor).toBeGreaterThanOrEqual(0n);
    }
    expect((await ledger.verify()).violations).toEqual([]);
  });
});

/** A reversal's debit entry as a bug might write it, past the checks of the plan. */
async function appendRawEntry(
  walletId: string,
  entry: Pick<typeof ledgerEntries.$inferInsert, 'type' | 'amountMinor'> &
    Partial<typeof ledgerEntries.$inferInsert>,
) {
  const [wallet] = await db.select().from(wallets).where(eq(wallets.id, walletId));
  if (!wallet) throw new Error('no such wallet');
  const sequence = (wallet.lastEntrySequence ?? 0) + 1;
  const debit = ['TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'].includes(entry.type);
  return db.insert(ledgerEntries).values({
    id: uuidv7(),
    walletId,
    sequence,
    previousSequence: sequence - 1,
    balanceBeforeMinor: wallet.balanceMinor,
    balanceAfterMinor: wallet.balanceMinor + (debit ? -entry.amountMinor : entry.amountMinor),
    ...entry,
  });
}

describe('the database guards reversals by itself', () => {
  it('refuses a reversal entry past the original, named transaction_reversals_within_original', async () => {
    const { walletId, fundingId } = await fundedWallet(10);
    await ledger.fundWallet({ walletId, amount: 100 });
    await ledger.reverseTransaction({ transactionId: fundingId, amount: 6 });
    await expectRefusedBy(
      appendRawEntry(walletId, {
        type: 'WITHDRAWAL',
        amountMinor: 401n,
        reversesTransactionId: fundingId,
      }),
      'transaction_reversals_within_original',
    );
    expect(await reversedMinorOf(fundingId)).toBe(600n);
  });

  it('refuses a reversal of a reversal, of nothing, or one that undoes no credit of the original', async () => {
    const { walletId, fundingId } = await fundedWallet(10);
    const reversal = await ledger.reverseTransaction({ transactionId: fundingId, amount: 1 });
    const other = await fundedWallet(10);
    for (const entry of [
      { type: 'WITHDRAWAL' as const, reversesTransactionId: reversal.reversalId },
      { type: 'WITHDRAWAL' as const, reversesTransactionId: uuidv7() },
      // Another wallet's WITHDRAWAL naming this funding.
      { type: 'WITHDRAWAL' as const, reversesTransactionId: other.fundingId },
    ]) {
      await expectRefusedBy(
        appendRawEntry(walletId, { amountMinor: 1n, ...entry }),
        'ledger_entries_reverses_reversible',
      );
    }
  });

  it('ties every entry of a reversal to its counted original (ledger_entries_reversal_counted_fk)', async () => {
    const { walletId, fundingId } = await fundedWallet(10);
    // A credit names an original nothing has reversed yet: no row counts it.
    await expectRefusedBy(
      appendRawEntry(externalAccountIdOf('USD'), {
        type: 'WITHDRAWAL_COUNTER',
        amountMinor: 1n,
        counterpartyWalletId: walletId,
        transferId: uuidv7(),
        reversesTransactionId: fundingId,
      }),
      'ledger_entries_reversal_counted_fk',
    );
  });

  it('keeps transaction_reversals growing only: no shrinking, no moving, no deleting', async () => {
    const { fundingId } = await fundedWallet(10);
    await ledger.reverseTransaction({ transactionId: fundingId, amount: 2 });
    const row = eq(transactionReversals.originalId, fundingId);
    await expectRefusedBy(
      db.update(transactionReversals).set({ reversedMinor: 100n }).where(row),
      'transaction_reversals_only_grow',
    );
    await expectRefusedBy(
      db.update(transactionReversals).set({ originalMinor: 5000n }).where(row),
      'transaction_reversals_only_grow',
    );
    await expectRefusedBy(
      db.delete(transactionReversals).where(row),
      'transaction_reversals_only_grow',
    );
    await expectRefusedBy(
      db.execute(sql`TRUNCATE transaction_reversals CASCADE`),
      'transaction_reversals_only_grow',
    );
    await expectRefusedBy(
      db.update(transactionReversals).set({ reversedMinor: 1001n }).where(row),
      'transaction_reversals_within_original',
    );
    expect(await reversedMinorOf(fundingId)).toBe(200n);
  });
});
