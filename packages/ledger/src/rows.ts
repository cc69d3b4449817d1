import { isCurrencyCode, isWalletEntryType, type CurrencyCode } from '@wallet/contract';
import type { schema } from '@wallet/db';

import { assert } from './assert';
import type { Hold, LedgerEntry, Wallet } from './types';

type WalletRow = typeof schema.wallets.$inferSelect;
type EntryRow = typeof schema.ledgerEntries.$inferSelect;
type HoldRow = typeof schema.holds.$inferSelect;

export function currencyOf(row: Pick<WalletRow, 'currency'>): CurrencyCode {
  assert(isCurrencyCode(row.currency), `unsupported currency ${row.currency} in the database`);
  return row.currency;
}

export function toWallet(row: WalletRow): Wallet {
  return {
    id: row.id,
    currency: currencyOf(row),
    balanceMinor: row.balanceMinor,
    heldMinor: row.heldMinor,
    availableMinor: row.balanceMinor - row.heldMinor,
    status: row.status,
    metadata: row.metadata,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A hold, with the currency of its wallet. */
export function toHold(row: HoldRow, currency: CurrencyCode): Hold {
  return {
    id: row.id,
    walletId: row.walletId,
    receiverWalletId: row.receiverWalletId,
    currency,
    amountMinor: row.amountMinor,
    capturedMinor: row.capturedMinor,
    status: row.status,
    description: row.description,
    metadata: row.metadata,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
    captureTransactionId: row.captureTransactionId,
  };
}

/** A wallet's entry as a client sees it; a counter-entry here is a bug (it is never read). */
export function toEntry(
  row: EntryRow,
  currency: CurrencyCode,
  /** What is reversed of its transaction (transaction_reversals), read with it. */
  reversedMinor: bigint,
): LedgerEntry {
  const { type } = row;
  assert(isWalletEntryType(type), `a ${type} entry read as a wallet's`);
  return {
    id: row.id,
    walletId: row.walletId,
    sequence: row.sequence,
    type,
    currency,
    amountMinor: row.amountMinor,
    balanceBeforeMinor: row.balanceBeforeMinor,
    balanceAfterMinor: row.balanceAfterMinor,
    status: row.status,
    description: row.description,
    counterpartyWalletId: row.counterpartyWalletId,
    transferId: row.transferId,
    createdAt: row.createdAt,
    reversesTransactionId: row.reversesTransactionId,
    reversedMinor,
    metadata: row.metadata,
  };
}
