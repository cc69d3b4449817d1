import {
  formatMinor,
  minorDigitsOf,
  type CurrencyCode,
  type EventType,
  type WalletStatus,
} from '@wallet/contract';

import { newId } from '../ids';
import type { BookEntry } from '../movements/book';
import type { Hold, LedgerEntry, Wallet } from '../types';

/**
 * The events each write records in the outbox, beside its entries (docs/events.md). A
 * movement module makes its event here from the entries the book wrote and hands it to
 * `book.emit`; a new movement adds one function here and one `emit` call.
 */

/** One ledger_events row to write, in the shape the store sends it (amounts as decimal text). */
export interface PlannedEvent {
  id: string;
  type: EventType;
  wallet_id: string;
  /** The wallet's entry sequence after the write (0: a wallet without entries). */
  wallet_sequence: number;
  counterparty_wallet_id: string | null;
  counterparty_sequence: number | null;
  /** The funding's or withdrawal's entry id, the transfer's id, the new wallet's id. */
  transaction_id: string;
  currency: CurrencyCode;
  amount_minor: string | null;
  /** What consumers get as the event's `data`: JSON only, amounts as the currency's decimal text. */
  payload: Record<string, unknown>;
}

function money(minor: bigint, currency: CurrencyCode): string {
  return formatMinor(minor, minorDigitsOf(currency));
}

/** The fields of an entry its event tells. */
type SideEntry = Pick<
  BookEntry,
  'walletId' | 'sequence' | 'currency' | 'balanceBeforeMinor' | 'balanceAfterMinor' | 'metadata'
>;

/** A wallet's side of a movement, as its event tells it. */
function sideOf(entry: SideEntry) {
  return {
    walletId: entry.walletId,
    sequence: entry.sequence,
    balanceBefore: money(entry.balanceBeforeMinor, entry.currency),
    balanceAfter: money(entry.balanceAfterMinor, entry.currency),
  };
}

export function walletCreated(wallet: Wallet): PlannedEvent {
  return {
    id: newId(),
    type: 'wallet.created',
    wallet_id: wallet.id,
    wallet_sequence: 0,
    counterparty_wallet_id: null,
    counterparty_sequence: null,
    transaction_id: wallet.id,
    currency: wallet.currency,
    amount_minor: null,
    payload: {
      walletId: wallet.id,
      currency: wallet.currency,
      balance: money(wallet.balanceMinor, wallet.currency),
    },
  };
}

/**
 * A wallet's status changed (frozen, made active again, closed): no money moves, so no
 * amount; `transactionId` is the change's own id. Its sequence is the wallet's latest
 * entry's, so it sits in the wallet's own order of events after every movement before it.
 */
export function walletStatusChanged(
  wallet: Wallet,
  lastEntrySequence: number,
  changeId: string,
  from: WalletStatus,
): PlannedEvent {
  return {
    id: newId(),
    type: 'wallet.status_changed',
    wallet_id: wallet.id,
    wallet_sequence: lastEntrySequence,
    counterparty_wallet_id: null,
    counterparty_sequence: null,
    transaction_id: changeId,
    currency: wallet.currency,
    amount_minor: null,
    payload: { walletId: wallet.id, from, to: wallet.status },
  };
}

/** A movement of one wallet against the outside (a funding, a withdrawal), from its entry. */
export function oneWalletMovement(
  type: 'wallet.funded' | 'wallet.withdrawn',
  entry: LedgerEntry,
): PlannedEvent {
  return {
    id: newId(),
    type,
    wallet_id: entry.walletId,
    wallet_sequence: entry.sequence,
    counterparty_wallet_id: null,
    counterparty_sequence: null,
    transaction_id: entry.id,
    currency: entry.currency,
    amount_minor: String(entry.amountMinor),
    payload: {
      transactionId: entry.id,
      currency: entry.currency,
      amount: money(entry.amountMinor, entry.currency),
      description: entry.description,
      metadata: entry.metadata,
      ...sideOf(entry),
    },
  };
}

/**
 * A transfer: ONE event naming both wallets (one fact, one id to deduplicate on; a
 * consumer replaying balances applies it to both). The sender is its `wallet_id`, the
 * receiver its counterparty, each with its own sequence.
 */
export function transferCompleted(
  transferId: string,
  out: BookEntry,
  into: BookEntry,
): PlannedEvent {
  return {
    id: newId(),
    type: 'transfer.completed',
    wallet_id: out.walletId,
    wallet_sequence: out.sequence,
    counterparty_wallet_id: into.walletId,
    counterparty_sequence: into.sequence,
    transaction_id: transferId,
    currency: out.currency,
    amount_minor: String(out.amountMinor),
    payload: {
      transactionId: transferId,
      currency: out.currency,
      amount: money(out.amountMinor, out.currency),
      description: out.description,
      metadata: out.metadata,
      sender: sideOf(out),
      receiver: sideOf(into),
    },
  };
}

/**
 * A reversal (of a funding, a withdrawal or a transfer): one event naming the wallet it
 * debited or credited (for a transfer's reversal, the original's receiver, which pays back)
 * and, for a transfer's, the original's sender as its counterparty, each with its own
 * sequence and balances; `originalTransactionId` names what it puts back.
 */
export function transactionReversed(
  reversalId: string,
  originalId: string,
  first: BookEntry,
  second: BookEntry | null,
): PlannedEvent {
  return {
    id: newId(),
    type: 'transaction.reversed',
    wallet_id: first.walletId,
    wallet_sequence: first.sequence,
    counterparty_wallet_id: second?.walletId ?? null,
    counterparty_sequence: second?.sequence ?? null,
    transaction_id: reversalId,
    currency: first.currency,
    amount_minor: String(first.amountMinor),
    payload: {
      transactionId: reversalId,
      originalTransactionId: originalId,
      currency: first.currency,
      amount: money(first.amountMinor, first.currency),
      description: first.description,
      metadata: first.metadata,
      entryType: first.type,
      ...(second === null ? sideOf(first) : { sender: sideOf(first), receiver: sideOf(second) }),
    },
  };
}

/**
 * A hold's change that writes no entry (placed, voided, expired): its wallet keeps its
 * sequence (`walletSequence`, the wallet's latest entry's), the transaction is the hold,
 * the amount what the hold reserves (placed) or releases (voided, expired).
 */
export function holdChanged(
  type: 'hold.placed' | 'hold.voided' | 'hold.expired',
  hold: Hold,
  walletSequence: number,
): PlannedEvent {
  return {
    id: newId(),
    type,
    wallet_id: hold.walletId,
    wallet_sequence: walletSequence,
    counterparty_wallet_id: null,
    counterparty_sequence: null,
    transaction_id: hold.id,
    currency: hold.currency,
    amount_minor: String(hold.amountMinor),
    payload: {
      holdId: hold.id,
      walletId: hold.walletId,
      receiverWalletId: hold.receiverWalletId,
      currency: hold.currency,
      amount: money(hold.amountMinor, hold.currency),
      description: hold.description,
      metadata: hold.metadata,
      expiresAt: hold.expiresAt?.toISOString() ?? null,
      status: hold.status,
    },
  };
}

/**
 * A hold's capture: one event, from its entries: to the receiver (a transfer: `sender`
 * and `receiver`, the receiver as counterparty) or out (a withdrawal: the wallet's side).
 * The amount is what moved; `released` what the hold reserved and no longer does.
 */
export function holdCaptured(
  hold: Hold,
  transactionId: string,
  out: SideEntry,
  into: SideEntry | null,
): PlannedEvent {
  return {
    id: newId(),
    type: 'hold.captured',
    wallet_id: out.walletId,
    wallet_sequence: out.sequence,
    counterparty_wallet_id: into?.walletId ?? null,
    counterparty_sequence: into?.sequence ?? null,
    transaction_id: transactionId,
    currency: hold.currency,
    amount_minor: String(hold.capturedMinor),
    payload: {
      holdId: hold.id,
      transactionId,
      currency: hold.currency,
      amount: money(hold.capturedMinor, hold.currency),
      released: money(hold.amountMinor, hold.currency),
      description: hold.description,
      // The capture's own metadata (hold.placed carried the placement's).
      metadata: out.metadata,
      ...(into === null ? sideOf(out) : { sender: sideOf(out), receiver: sideOf(into) }),
    },
  };
}
