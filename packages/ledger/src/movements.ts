import type { EntryType } from '@wallet/contract';
import { schema } from '@wallet/db';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';

import { assert } from './assert';
import { WalletNotFoundError } from './errors';
import { currencyOf, toEntry, toWallet } from './rows';
import type { Tx } from './transaction';
import type { LedgerEntry, Wallet } from './types';

const { wallets, ledgerEntries } = schema;

export type LockedWallet = typeof wallets.$inferSelect;

/**
 * Locks the wallets an operation touches, in ascending id order, in one statement. Every
 * operation locks this way, so two transfers over the same wallets queue instead of
 * deadlocking. Throws WalletNotFoundError for the first id that does not exist.
 */
export async function lockWallets(tx: Tx, ids: readonly string[]): Promise<LockedWallet[]> {
  const rows = await tx
    .select()
    .from(wallets)
    .where(inArray(wallets.id, [...ids]))
    .orderBy(asc(wallets.id))
    .for('update');
  return ids.map((id) => {
    const row = rows.find((candidate) => candidate.id === id);
    if (!row) throw new WalletNotFoundError(id);
    return row;
  });
}

export interface Movement {
  wallet: LockedWallet;
  type: EntryType;
  amountMinor: bigint;
  description: string | null;
  counterpartyWalletId: string | null;
  transferId: string | null;
  /** Made by the caller when an idempotency record must name it before it is written. */
  entryId?: string;
}

export interface Applied {
  wallet: Wallet;
  entry: LedgerEntry;
}

/**
 * Writes movements on wallets locked by this transaction, already checked by the
 * caller: first the entries (one insert), then each wallet's balance and latest
 * sequence. The order matters: a wallet's balance must match an existing entry
 * (wallets_balance_matches_latest_entry_fk) when its row is updated.
 */
export async function applyMovements(tx: Tx, movements: readonly Movement[]): Promise<Applied[]> {
  const planned = movements.map(planEntry);
  const entryRows = await tx.insert(ledgerEntries).values(planned).returning();
  const applied: Applied[] = [];
  for (const [index, movement] of movements.entries()) {
    const entryRow = entryRows[index];
    const plannedEntry = planned[index];
    assert(
      entryRow && plannedEntry && entryRow.id === plannedEntry.id,
      'entries returned out of order',
    );
    const [walletRow] = await tx
      .update(wallets)
      .set({
        balanceMinor: entryRow.balanceAfterMinor,
        lastEntrySequence: entryRow.sequence,
        updatedAt: sql`now()`,
      })
      .where(eq(wallets.id, movement.wallet.id))
      .returning();
    assert(walletRow, `locked wallet ${movement.wallet.id} vanished`);
    applied.push({ wallet: toWallet(walletRow), entry: toEntry(entryRow, currencyOf(walletRow)) });
  }
  return applied;
}

function planEntry(movement: Movement): typeof ledgerEntries.$inferInsert {
  const { wallet, amountMinor, type } = movement;
  const sequence = (wallet.lastEntrySequence ?? 0) + 1;
  const balanceAfterMinor =
    type === 'TRANSFER_OUT' ? wallet.balanceMinor - amountMinor : wallet.balanceMinor + amountMinor;
  assert(amountMinor > 0n, 'a movement amount must be positive');
  assert(balanceAfterMinor >= 0n, `movement would overdraw wallet ${wallet.id}`);
  return {
    id: movement.entryId ?? uuidv7(),
    walletId: wallet.id,
    sequence,
    previousSequence: sequence > 1 ? sequence - 1 : null,
    type,
    amountMinor,
    balanceBeforeMinor: wallet.balanceMinor,
    balanceAfterMinor,
    description: movement.description,
    counterpartyWalletId: movement.counterpartyWalletId,
    transferId: movement.transferId,
  };
}
