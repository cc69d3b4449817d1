import type { CurrencyCode, EventType, WalletEntryType } from '@wallet/contract';

/** Money inside the ledger is integer minor units (`balanceMinor: 10050n` is 100.50 USD). */
export interface Wallet {
  id: string;
  currency: CurrencyCode;
  balanceMinor: bigint;
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

/**
 * One event of the outbox (ledger_events): what a committed write tells the systems
 * around the ledger. See docs/events.md for each type's `data`.
 */
export interface LedgerEvent {
  /** Unique: what a consumer deduplicates on. */
  id: string;
  /** Its place in the global order: pass it as `after` to read what follows it. */
  cursor: string;
  type: EventType;
  walletId: string;
  /** The wallet's entry sequence after the write: the wallet's own order of its events. */
  walletSequence: number;
  /** A transfer's receiver (walletId is its sender), with its sequence after it. */
  counterpartyWalletId: string | null;
  counterpartySequence: number | null;
  transactionId: string;
  currency: CurrencyCode;
  /** What moved; null for an event that moves no money (wallet.created). */
  amountMinor: bigint | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface EventPage {
  items: LedgerEvent[];
  /** Where to continue: the last item's cursor, or the `after` given when none was served. */
  next: string;
  /** More events are served right now past `next`. */
  hasMore: boolean;
}
