import {
  formatMinor,
  minorDigitsOf,
  minorToJsonNumber,
  type restBalanceSeries,
  type restHold,
  type restReversalResult,
  type restTransaction,
  type restTransactionDetail,
  type restWallet,
  type restWalletBalance,
  type restWalletBalanceAsOf,
} from '@wallet/contract';
import type {
  BalanceAsOf,
  BalanceSeries,
  Hold,
  LedgerEntry,
  Page,
  ReverseResult,
  TransactionDetail,
  Wallet,
  WalletBalance,
  WalletStatementPage,
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
    status: wallet.status,
    metadata: { ...wallet.metadata },
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
    metadata: hold.metadata,
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
    reversesTransactionId: entry.reversesTransactionId,
    reversedAmount: formatMinor(entry.reversedMinor, digits),
    metadata: entry.metadata,
  };
}

/** How much of a transaction is reversed, in one word. */
export function reversalStateOf(detail: { amountMinor: bigint; reversedMinor: bigint }) {
  if (detail.reversedMinor === 0n) return 'NONE' as const;
  return detail.reversedMinor < detail.amountMinor ? ('PARTIAL' as const) : ('FULL' as const);
}

/**
 * One funding, withdrawal, transfer or reversal, with its legs (a transfer's:
 * TRANSFER_OUT, then TRANSFER_IN) and its link: a reversal's original, or an original's
 * reversals.
 */
export function toTransactionDetailOutput(detail: TransactionDetail) {
  const digits = minorDigitsOf(detail.currency);
  return {
    id: detail.id,
    kind: detail.kind,
    currency: detail.currency,
    amount: formatMinor(detail.amountMinor, digits),
    description: detail.description,
    metadata: detail.metadata,
    createdAt: ownDate(detail.createdAt),
    legs: detail.legs.map(toTransactionOutput),
    reversesTransactionId: detail.reversesTransactionId,
    reversal: reversalStateOf(detail),
    reversedAmount: formatMinor(detail.reversedMinor, digits),
    reversals: detail.reversals.map((reversal) => ({
      id: reversal.id,
      amount: formatMinor(reversal.amountMinor, digits),
      createdAt: ownDate(reversal.createdAt),
    })),
  };
}

/** A reversal: what it moved back, and where its original stands. */
export function toReversalOutput(result: ReverseResult) {
  const digits = minorDigitsOf(result.currency);
  return {
    reversalId: result.reversalId,
    originalTransactionId: result.originalId,
    currency: result.currency,
    amount: formatMinor(result.amountMinor, digits),
    reversedAmount: formatMinor(result.reversedMinor, digits),
    remainingAmount: formatMinor(result.originalAmountMinor - result.reversedMinor, digits),
    wallets: result.wallets.map(toWalletOutput),
  };
}

export function toBalanceAsOfOutput(balance: BalanceAsOf) {
  return {
    walletId: balance.walletId,
    currency: balance.currency,
    asOf: ownDate(balance.asOf),
    balance: formatMinor(balance.balanceMinor, minorDigitsOf(balance.currency)),
    sequence: balance.sequence,
  };
}

/**
 * A balance series: each instant's balance as exact decimal text (the chart turns it into
 * a pixel position, and only that); instants as the ledger's microsecond ISO text.
 */
export function toBalanceSeriesOutput(series: BalanceSeries) {
  const digits = minorDigitsOf(series.currency);
  return {
    walletId: series.walletId,
    currency: series.currency,
    from: series.from,
    to: series.to,
    openingBalance: formatMinor(series.openingBalanceMinor, digits),
    closingBalance: formatMinor(series.closingBalanceMinor, digits),
    points: series.points.map((point) => ({
      at: point.at,
      balance: formatMinor(point.balanceMinor, digits),
    })),
  };
}

/** A page of a statement: the period, its balances, its entries oldest first. */
export function toStatementPageOutput(page: WalletStatementPage) {
  const digits = minorDigitsOf(page.currency);
  return {
    walletId: page.walletId,
    currency: page.currency,
    from: page.from && ownDate(page.from),
    to: page.to && ownDate(page.to),
    openingBalance: formatMinor(page.openingBalanceMinor, digits),
    closingBalance: formatMinor(page.closingBalanceMinor, digits),
    items: page.items.map(toTransactionOutput),
    nextCursor: page.nextCursor,
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
    status: wallet.status,
    metadata: wallet.metadata,
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
    reversesTransactionId: entry.reversesTransactionId,
    reversedAmount: minorToJsonNumber(entry.reversedMinor, digits),
    metadata: entry.metadata,
  };
}

export type RestTransactionDetail = z.infer<typeof restTransactionDetail>;

export function toRestTransactionDetail(detail: TransactionDetail): RestTransactionDetail {
  const digits = minorDigitsOf(detail.currency);
  return {
    id: detail.id,
    type: detail.kind,
    currency: detail.currency,
    amount: minorToJsonNumber(detail.amountMinor, digits),
    description: detail.description,
    metadata: detail.metadata,
    createdAt: detail.createdAt.toISOString(),
    legs: detail.legs.map(toRestTransaction),
    reversesTransactionId: detail.reversesTransactionId,
    reversal: reversalStateOf(detail),
    reversedAmount: minorToJsonNumber(detail.reversedMinor, digits),
    reversals: detail.reversals.map((reversal) => ({
      id: reversal.id,
      amount: minorToJsonNumber(reversal.amountMinor, digits),
      createdAt: reversal.createdAt.toISOString(),
    })),
  };
}

export type RestReversalResult = z.infer<typeof restReversalResult>;

export function toRestReversal(result: ReverseResult): RestReversalResult {
  const digits = minorDigitsOf(result.currency);
  return {
    transactionId: result.reversalId,
    originalTransactionId: result.originalId,
    amount: minorToJsonNumber(result.amountMinor, digits),
    reversedAmount: minorToJsonNumber(result.reversedMinor, digits),
    remainingAmount: minorToJsonNumber(result.originalAmountMinor - result.reversedMinor, digits),
    currency: result.currency,
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
    metadata: hold.metadata,
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

/** GET /wallets/:id/balance?as_of=…: the balance then (held and available are not kept by time). */
export function toRestWalletBalanceAsOf(
  balance: BalanceAsOf,
): z.infer<typeof restWalletBalanceAsOf> {
  return {
    wallet_id: balance.walletId,
    currency: balance.currency,
    balance: formatMinor(balance.balanceMinor, minorDigitsOf(balance.currency)),
    as_of: balance.asOf.toISOString(),
  };
}

/** GET /wallets/:id/balance-series: money as exact decimal text, as the balance resource. */
export function toRestBalanceSeries(series: BalanceSeries): z.infer<typeof restBalanceSeries> {
  const digits = minorDigitsOf(series.currency);
  return {
    wallet_id: series.walletId,
    currency: series.currency,
    from: series.from,
    to: series.to,
    opening_balance: formatMinor(series.openingBalanceMinor, digits),
    closing_balance: formatMinor(series.closingBalanceMinor, digits),
    points: series.points.map((point) => ({
      at: point.at,
      balance: formatMinor(point.balanceMinor, digits),
    })),
  };
}

// ---------------------------------------------------------------- both

export function mapPage<T, U>(
  page: Page<T>,
  map: (item: T) => U,
): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}
