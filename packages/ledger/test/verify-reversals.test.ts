import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import { externalAccountIdOf } from '../src';
import { useTestLedger } from './support';

/**
 * ledger:verify's reversal checks find what the database refuses to write: the damage is
 * written with this connection's triggers and foreign keys off (session_replication_role),
 * as only a bug in the database itself, or an operator, could.
 */
const { ledger, db } = await useTestLedger();
const { ledgerEntries, wallets } = schema;

type Entry = typeof ledgerEntries.$inferInsert;

/** Appends the entries to their wallets' chains and moves the balances, triggers off. */
async function appendUnchecked(
  entries: (Pick<Entry, 'walletId' | 'type' | 'amountMinor'> & Partial<Entry>)[],
) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    for (const entry of entries) {
      const [wallet] = await tx.select().from(wallets).where(eq(wallets.id, entry.walletId));
      if (!wallet) throw new Error('no such wallet');
      const sequence = (wallet.lastEntrySequence ?? 0) + 1;
      const debit = ['TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'].includes(entry.type);
      const after = wallet.balanceMinor + (debit ? -entry.amountMinor : entry.amountMinor);
      await tx.insert(ledgerEntries).values({
        id: uuidv7(),
        sequence,
        previousSequence: sequence - 1,
        balanceBeforeMinor: wallet.balanceMinor,
        balanceAfterMinor: after,
        ...entry,
      });
      await tx
        .update(wallets)
        .set({ balanceMinor: after, lastEntrySequence: sequence })
        .where(eq(wallets.id, entry.walletId));
    }
  });
}

/** A funding's reversal as the ledger writes it, on `walletId`, unchecked. */
function fundingReversal(walletId: string, fundingId: string, amountMinor: bigint) {
  const reversalId = uuidv7();
  return appendUnchecked([
    { id: reversalId, walletId, type: 'WITHDRAWAL', amountMinor, reversesTransactionId: fundingId },
    {
      walletId: externalAccountIdOf('USD'),
      type: 'WITHDRAWAL_COUNTER',
      amountMinor,
      counterpartyWalletId: walletId,
      transferId: reversalId,
      reversesTransactionId: fundingId,
    },
  ]);
}

async function violationKinds() {
  return (await ledger.verify()).violations.map((violation) => [
    violation.kind,
    violation.walletIds,
  ]);
}

describe('verify: reversals', () => {
  it('finds a reversal nothing counted, taking its original past its amount', async () => {
    const wallet = await ledger.createWallet({});
    const { entry } = await ledger.fundWallet({ walletId: wallet.id, amount: 10 });
    await ledger.reverseTransaction({ transactionId: entry.id, amount: 6 });
    await ledger.fundWallet({ walletId: wallet.id, amount: 100 });
    expect(await violationKinds()).toEqual([]);
    await fundingReversal(wallet.id, entry.id, 500n);
    const kinds = await violationKinds();
    expect(kinds).toContainEqual(['REVERSAL_EXCEEDS_ORIGINAL', [wallet.id]]);
    expect(kinds).toContainEqual(['REVERSAL_NOT_COUNTED', []]);
    // Still double entry, and mirrored: only the reversal checks can tell.
    expect(kinds.map(([kind]) => kind).sort()).toEqual([
      'REVERSAL_EXCEEDS_ORIGINAL',
      'REVERSAL_NOT_COUNTED',
    ]);
  });

  it('finds a reversal that moves money on another wallet than its original', async () => {
    const [a, b] = [await ledger.createWallet({}), await ledger.createWallet({})];
    const { entry } = await ledger.fundWallet({ walletId: a.id, amount: 10 });
    await ledger.fundWallet({ walletId: b.id, amount: 10 });
    await fundingReversal(b.id, entry.id, 100n);
    const kinds = await violationKinds();
    expect(kinds).toContainEqual(['MISLINKED_REVERSAL', [b.id, externalAccountIdOf('USD')].sort()]);
  });
});
