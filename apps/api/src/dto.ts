import {
  formatMinor,
  minorDigitsOf,
  minorToJsonNumber,
  type restHold,
  type restTransaction,
  type restTransactionDetail,
  type restWallet,
  type restWalletBalance,
} from '@wallet/contract';
import type {
  Hold,
  LedgerEntry,
  Page,
  TransactionDetail,
  Wallet,
  WalletBalance,
} from '@wallet/ledger';
import type { z } from 'zod';

/**
 * The ledger's records as each edge shows them, written once. tRPC carries money as exact
 * decimal text ("100.50", all the currency's digits) and dates as Date (superjson);
 * REST shows what its documentation shows: money as JSON numbers (100.5) and ISO dates.
 */

// ---------------------------------------------------------------- tRPC

export function toWalletOutput(wallet: Wallet) {
  const digits = minorDigitsOf(wallet.currency);
  return {
    id: wallet.id,
    currency: wallet.currency,
    balance: formatMinor(wallet.balanceMinor, digits),
    /** Reserved by its pending holds, and what it can spend (balance - held). */
    held: formatMinor(wallet.heldMinor, digits),
    available: formatMinor(wallet.availableMinor, digits),
    createdAt: ownDate(wallet.createdAt),
    updatedAt: ownDate(wallet.updatedAt),
  };
}

export function toWalletBalanceOutput(balance: WalletBalance) {
  const digits = minorDigitsOf(balance.currency);
  return {
    walletId: balance.walletId,
    currency: balance.currency,
    balance: formatMinor(balance.balanceMinor, digits),
    held: formatMinor(balance.heldMinor, digits),
    available: formatMinor(balance.availableMinor, digits),
  };
}

export function toHoldOutput(hold: Hold) {
  const digits = minorDigitsOf(hold.currency);
  return {
    id: hold.id,
    walletId: hold.walletId,
    receiverWalletId: hold.receiverWalletId,
    currency: hold.currency,
    amount: formatMinor(hold.amountMinor, digits),
    capturedAmount: formatMinor(hold.capturedMinor, digits),
    status: hold.status,
    description: hold.description,
    expiresAt: hold.expiresAt && ownDate(hold.expiresAt),
    createdAt: ownDate(hold.createdAt),
    resolvedAt: hold.resolvedAt && ownDate(hold.resolvedAt),
    captureTransactionId: hold.captureTransactionId,
  };
}

export function toTransactionOutput(entry: LedgerEntry) {
  const digits = minorDigitsOf(entry.currency);
  return {
    id: entry.id,
    walletId: entry.walletId,
    sequence: entry.sequence,
    type: entry.type,
    currency: entry.currency,
    amount: formatMinor(entry.amountMinor, digits),
    balanceBefore: formatMinor(entry.balanceBeforeMinor, digits),
    balanceAfter: formatMinor(entry.balanceAfterMinor, digits),
    status: entry.status,
    description: entry.description,
    counterpartyWalletId: entry.counterpartyWalletId,
    transferId: entry.transferId,
    createdAt: ownDate(entry.createdAt),
  };
}

/** One funding or transfer, with its legs (a transfer's: TRANSFER_OUT, then TRANSFER_IN). */
export function toTransactionDetailOutput(detail: TransactionDetail) {
  return {
    id: detail.id,
    kind: detail.kind,
    currency: detail.currency,
    amount: formatMinor(detail.amountMinor, minorDigitsOf(detail.currency)),
    description: detail.description,
    createdAt: ownDate(detail.createdAt),
    legs: detail.legs.map(toTransactionOutput),
  };
}

/**
 * A Date of the output's own. The ledger stamps an entry and its wallet with one Date
 * object; shared, superjson would write their identity (referentialEqualities) and the
 * output would leave serializeOutput's plain walk for superjson's own, five times slower.
 */
function ownDate(date: Date): Date {
  return new Date(date.getTime());
}

// ---------------------------------------------------------------- REST

export type RestWallet = z.infer<typeof restWallet>;
export type RestTransaction = z.infer<typeof restTransaction>;

export function toRestWallet(wallet: Wallet): RestWallet {
  const digits = minorDigitsOf(wallet.currency);
  return {
    id: wallet.id,
    currency: wallet.currency,
    balance: minorToJsonNumber(wallet.balanceMinor, digits),
    createdAt: wallet.createdAt.toISOString(),
    updatedAt: wallet.updatedAt.toISOString(),
  };
}

export function toRestTransaction(entry: LedgerEntry): RestTransaction {
  const digits = minorDigitsOf(entry.currency);
  return {
    id: entry.id,
    walletId: entry.walletId,
    type: entry.type,
    amount: minorToJsonNumber(entry.amountMinor, digits),
    balanceBefore: minorToJsonNumber(entry.balanceBeforeMinor, digits),
    balanceAfter: minorToJsonNumber(entry.balanceAfterMinor, digits),
    status: entry.status,
    description: entry.description,
    counterpartyWalletId: entry.counterpartyWalletId,
    transferId: entry.transferId,
    createdAt: entry.createdAt.toISOString(),
  };
}

export type RestTransactionDetail = z.infer<typeof restTransactionDetail>;

export function toRestTransactionDetail(detail: TransactionDetail): RestTransactionDetail {
  return {
    id: detail.id,
    type: detail.kind,
    currency: detail.currency,
    amount: minorToJsonNumber(detail.amountMinor, minorDigitsOf(detail.currency)),
    description: detail.description,
    createdAt: detail.createdAt.toISOString(),
    legs: detail.legs.map(toRestTransaction),
  };
}

export type RestHold = z.infer<typeof restHold>;

/** A hold over REST: snake case, as the holds resource's bodies; money as exact decimal text. */
export function toRestHold(hold: Hold): RestHold {
  const digits = minorDigitsOf(hold.currency);
  return {
    id: hold.id,
    wallet_id: hold.walletId,
    receiver_wallet_id: hold.receiverWalletId,
    currency: hold.currency,
    amount: formatMinor(hold.amountMinor, digits),
    captured_amount: formatMinor(hold.capturedMinor, digits),
    status: hold.status,
    description: hold.description,
    expires_at: hold.expiresAt?.toISOString() ?? null,
    created_at: hold.createdAt.toISOString(),
    resolved_at: hold.resolvedAt?.toISOString() ?? null,
    capture_transaction_id: hold.captureTransactionId,
  };
}

export function toRestWalletBalance(balance: WalletBalance): z.infer<typeof restWalletBalance> {
  const digits = minorDigitsOf(balance.currency);
  return {
    wallet_id: balance.walletId,
    currency: balance.currency,
    balance: formatMinor(balance.balanceMinor, digits),
    held: formatMinor(balance.heldMinor, digits),
    available: formatMinor(balance.availableMinor, digits),
  };
}

// ---------------------------------------------------------------- both

export function mapPage<T, U>(
  page: Page<T>,
  map: (item: T) => U,
): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
