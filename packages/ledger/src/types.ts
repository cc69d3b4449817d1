import type { CurrencyCode, HoldStatus, WalletEntryType } from '@wallet/contract';

/** Money inside the ledger is integer minor units (`balanceMinor: 10050n` is 100.50 USD). */
export interface Wallet {
  id: string;
  currency: CurrencyCode;
  /** Posted: the balance after the wallet's latest entry. */
  balanceMinor: bigint;
  /** Reserved by the wallet's pending holds. */
  heldMinor: bigint;
  /** balanceMinor - heldMinor: what a transfer, a withdrawal or a new hold may take. */
  availableMinor: bigint;
  createdAt: Date;
  updatedAt: Date;
}

/** One line of a wallet's history; amounts in the wallet's minor units. */
export interface LedgerEntry {
  id: string;
  walletId: string;
  /** 1, 2, 3… within the wallet: each entry's balance before is its predecessor's after. */
  sequence: number;
  /** A wallet's entries only: the external accounts' counter-entries never reach a client. */
  type: WalletEntryType;
  currency: CurrencyCode;
  amountMinor: bigint;
  balanceBeforeMinor: bigint;
  balanceAfterMinor: bigint;
  status: 'COMPLETED';
  description: string | null;
  counterpartyWalletId: string | null;
  transferId: string | null;
  createdAt: Date;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface WalletWithTransactions extends Wallet {
  /** The latest page of its history, newest first. */
  transactions: LedgerEntry[];
  nextCursor: string | null;
}

export interface FundResult {
  wallet: Wallet;
  entry: LedgerEntry;
}

export interface WithdrawResult {
  wallet: Wallet;
  /** The WITHDRAWAL entry; its id is the transaction's. */
  entry: LedgerEntry;
}

export interface TransferResult {
  transferId: string;
  sender: Wallet;
  receiver: Wallet;
}

/**
 * One transaction: a funding or a withdrawal (its FUND or WITHDRAWAL entry; `id` is the
 * entry's) or a transfer (its TRANSFER_OUT and TRANSFER_IN legs, in that order; `id` is
 * the transfer's). The external account's counter-entries are not legs: no client sees them.
 */
export interface TransactionDetail {
  id: string;
  kind: 'FUND' | 'TRANSFER' | 'WITHDRAWAL';
  currency: CurrencyCode;
  amountMinor: bigint;
  description: string | null;
  createdAt: Date;
  legs: LedgerEntry[];
}

/** A hold (two-phase): an amount of a wallet reserved until captured, voided or expired. */
export interface Hold {
  id: string;
  walletId: string;
  /** Captured to this wallet as a transfer; null: captured out, as a withdrawal. */
  receiverWalletId: string | null;
  currency: CurrencyCode;
  amountMinor: bigint;
  /** What the capture moved; 0 unless CAPTURED. */
  capturedMinor: bigint;
  status: HoldStatus;
  description: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
  /** The capture's transaction (the transfer's id or the WITHDRAWAL entry's); null before. */
  captureTransactionId: string | null;
}

export interface PlaceHoldResult {
  hold: Hold;
  /** The paying wallet after the hold: its held up, its available down. */
  wallet: Wallet;
}

export interface CaptureHoldResult {
  hold: Hold;
  /** The transaction the capture made: `getTransaction` reads it. */
  transactionId: string;
  wallet: Wallet;
  /** The receiver after the capture; null for a capture out (a withdrawal). */
  receiver: Wallet | null;
}

export interface VoidHoldResult {
  /** VOIDED, or EXPIRED when the void came at or after its expiry. */
  hold: Hold;
  wallet: Wallet;
}

/** A wallet's posted balance, what its pending holds reserve, and what it can spend. */
export interface WalletBalance {
  walletId: string;
  currency: CurrencyCode;
  balanceMinor: bigint;
  heldMinor: bigint;
  availableMinor: bigint;
}
