import { formatMinor, minorDigitsOf, type CurrencyCode } from '@wallet/contract';

import { amountMinorIn, assertFundsFor, assertRoomFor, assertRoomInCurrency } from '../amounts';
import { ReversalExceedsOriginalError } from '../errors';
import { newId } from '../ids';
import type { ReverseResult, Wallet } from '../types';
import type { ReverseRequest } from '../writes';
import { transactionReversed } from '../events/catalogue';
import type { Book, BookEntry, LockedWallet } from './book';
import { assertMayCredit, assertMayDebit } from './wallet-status';

/**
 * What is reversed of each original the batch reverses: as the store read it (under the
 * original's wallets' locks, which every reversal of it takes), plus this batch's
 * reversals so far. The database counts the same amounts again as the entries land
 * (transaction_reversals, migration 0009) and refuses a total past the original.
 */
export class ReversalTally {
  private readonly reversed: Map<string, bigint>;

  constructor(committed: ReadonlyMap<string, bigint>) {
    this.reversed = new Map(committed);
  }

  of(originalId: string): bigint {
    return this.reversed.get(originalId) ?? 0n;
  }

  add(originalId: string, amountMinor: bigint): bigint {
    const total = this.of(originalId) + amountMinor;
    this.reversed.set(originalId, total);
    return total;
  }
}

/**
 * A reversal: the original's money moves back, all of what is left of it or a part, as
 * entries of the direction it moves now (so every rule of that direction holds as it
 * is): a funding is reversed by a WITHDRAWAL and its WITHDRAWAL_COUNTER, a withdrawal by
 * a FUND and its FUND_COUNTER, a transfer by a TRANSFER_OUT on its receiver and a
 * TRANSFER_IN on its sender. Every entry names the original. Refused past what is left
 * to reverse (REVERSAL_EXCEEDS_ORIGINAL), when the debited wallet no longer holds the
 * money (INSUFFICIENT_FUNDS, as a transfer's sender) or the credited one would pass the
 * balance bound. Every check comes before the first move: a refusal changes nothing.
 */
export function applyReverse(
  book: Book,
  request: ReverseRequest,
  tally: ReversalTally,
): ReverseResult {
  const { original } = request;
  const first = book.wallet(original.walletId);
  const amountMinor = amountToReverse(request, first.currency, tally.of(original.id));
  const { wallets, entries } =
    original.kind === 'TRANSFER'
      ? reverseTransfer(book, request, first, amountMinor)
      : reverseAgainstExternal(book, request, first, amountMinor);
  book.emit(transactionReversed(request.reversalId, original.id, entries[0], entries[1] ?? null));
  return {
    reversalId: request.reversalId,
    originalId: original.id,
    currency: first.currency,
    amountMinor,
    originalAmountMinor: original.amountMinor,
    reversedMinor: tally.add(original.id, amountMinor),
    wallets,
  };
}

/** The amount asked for (or all that is left), refused past what is left to reverse. */
function amountToReverse(
  request: ReverseRequest,
  currency: CurrencyCode,
  reversedMinor: bigint,
): bigint {
  const { original } = request;
  const remainingMinor = original.amountMinor - reversedMinor;
  const amountMinor =
    request.amount === null ? remainingMinor : amountMinorIn(currency, request.amount);
  if (amountMinor > 0n && amountMinor <= remainingMinor) return amountMinor;
  const digits = minorDigitsOf(currency);
  throw new ReversalExceedsOriginalError(
    original.id,
    formatMinor(original.amountMinor, digits),
    formatMinor(remainingMinor, digits),
    formatMinor(amountMinor, digits),
    currency,
  );
}

/** A funding's or a withdrawal's reversal: the wallet against its currency's external account. */
function reverseAgainstExternal(
  book: Book,
  request: ReverseRequest,
  wallet: LockedWallet,
  amountMinor: bigint,
): Reversed {
  const { original, reversalId } = request;
  if (original.kind === 'FUND') {
    assertMayDebit(wallet);
    assertFundsFor(wallet, amountMinor);
    const { view, entry } = book.moveAgainstExternal(
      wallet,
      'WITHDRAWAL',
      'WITHDRAWAL_COUNTER',
      amountMinor,
      request,
      reversalId,
      { reversesTransactionId: original.id },
    );
    return { wallets: [view], entries: [entry] };
  }
  assertMayCredit(wallet);
  assertRoomFor(wallet, amountMinor);
  assertRoomInCurrency(book.externalAccount(wallet.currency), amountMinor);
  const { view, entry } = book.moveAgainstExternal(
    wallet,
    'FUND',
    'FUND_COUNTER',
    amountMinor,
    request,
    reversalId,
    { reversesTransactionId: original.id },
  );
  return { wallets: [view], entries: [entry] };
}

/** A transfer's reversal: a transfer back, from its receiver to its sender. */
function reverseTransfer(
  book: Book,
  request: ReverseRequest,
  sender: LockedWallet,
  amountMinor: bigint,
): Reversed {
  const { original, reversalId } = request;
  const receiver = book.wallet(original.receiverWalletId ?? '');
  assertMayDebit(receiver);
  assertMayCredit(sender);
  assertFundsFor(receiver, amountMinor);
  assertRoomFor(sender, amountMinor);
  const links = { transferId: reversalId, reversesTransactionId: original.id };
  const out = book.move(receiver, 'TRANSFER_OUT', amountMinor, request, {
    id: newId(),
    counterpartyWalletId: sender.id,
    ...links,
  });
  const receiverAfter = book.view(receiver);
  const into = book.move(sender, 'TRANSFER_IN', amountMinor, request, {
    id: newId(),
    counterpartyWalletId: receiver.id,
    ...links,
  });
  return { wallets: [receiverAfter, book.view(sender)], entries: [out, into] };
}

/** The wallets after a reversal, and its client wallets' entries (the one paying back first). */
interface Reversed {
  wallets: Wallet[];
  entries: [BookEntry, ...BookEntry[]];
}
