import type {
  CurrencyCode,
  EventType,
  HoldStatus,
  Metadata,
  WalletEntryType,
  WalletStatus,
} from '@wallet/contract';

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
  /** ACTIVE, FROZEN (nothing goes out) or CLOSED (nothing moves, for good). */
  status: WalletStatus;
  /** The operator's own facts about the wallet ({} when none). */
  metadata: Metadata;
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
  /** On an entry of a reversal: the transaction it reverses; null otherwise. */
  reversesTransactionId: string | null;
  /** What is reversed so far of the transaction this entry belongs to (0n: nothing). */
  reversedMinor: bigint;
  /** The metadata of its transaction's write ({}: none). */
  metadata: Metadata;
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
  kind: 'FUND' | 'TRANSFER' | 'WITHDRAWAL' | 'REVERSAL';
  currency: CurrencyCode;
  amountMinor: bigint;
  description: string | null;
  metadata: Metadata;
  createdAt: Date;
  legs: LedgerEntry[];
  /** A reversal's original; null for any other transaction. */
  reversesTransactionId: string | null;
  /** What is reversed of this transaction so far: the sum of `reversals`. */
  reversedMinor: bigint;
  /** Its reversals, oldest first (a reversal has none). */
  reversals: ReversalSummary[];
}

export interface ReversalSummary {
  id: string;
  amountMinor: bigint;
  createdAt: Date;
}

/** A reversal: the money it moved back, and where its original stands now. */
export interface ReverseResult {
  reversalId: string;
  originalId: string;
  currency: CurrencyCode;
  amountMinor: bigint;
  originalAmountMinor: bigint;
  /** What is reversed of the original now, this reversal included. */
  reversedMinor: bigint;
  /** The clients' wallets it moved money on, as they are after it: the debited one first. */
  wallets: Wallet[];
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
  /** The placement's metadata ({}: none). */
  metadata: Metadata;
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
