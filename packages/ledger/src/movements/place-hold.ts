import { HOLD_EXPIRY_DAYS_MAX } from '@wallet/contract';

import { amountMinorIn, assertFundsFor } from '../amounts';
import { CurrencyMismatchError, InvalidInputError } from '../errors';
import { holdChanged } from '../events/catalogue';
import type { PlaceHoldResult } from '../types';
import type { PlaceHoldRequest } from '../writes';
import type { Book } from './book';
import { assertMayCredit, assertMayDebit } from './wallet-status';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A hold's placement: the amount is reserved on the wallet (its held rises, its available
 * falls; its balance and history do not change, so no entry is written) until the hold
 * is captured, voided or expires. Refused when the wallet's available does not cover it
 * (INSUFFICIENT_FUNDS, as a transfer), the receiver is of another currency, or the expiry
 * is not ahead of the transaction's clock by at most HOLD_EXPIRY_DAYS_MAX days.
 */
export function applyPlaceHold(book: Book, request: PlaceHoldRequest): PlaceHoldResult {
  const wallet = book.wallet(request.walletId);
  assertMayDebit(wallet);
  if (request.receiverWalletId !== null) {
    const receiver = book.wallet(request.receiverWalletId);
    assertMayCredit(receiver);
    if (receiver.currency !== wallet.currency) {
      throw new CurrencyMismatchError(wallet.currency, receiver.currency);
    }
  }
  const amountMinor = amountMinorIn(wallet.currency, request.amount);
  assertExpiryInRange(request.expiresAt, book.now);
  assertFundsFor(wallet, amountMinor);
  book.reserve(wallet, amountMinor);
  const hold = book.holds.place({
    id: request.holdId,
    walletId: wallet.id,
    receiverWalletId: request.receiverWalletId,
    currency: wallet.currency,
    amountMinor,
    description: request.description,
    metadata: request.metadata,
    expiresAt: request.expiresAt,
    captureTransactionId: null,
  });
  book.emit(holdChanged('hold.placed', hold, wallet.lastEntrySequence));
  return { hold, wallet: book.view(wallet) };
}

/**
 * The database's clock decides (`now` is the transaction's start, read from PostgreSQL).
 * Both times are whole milliseconds here and PostgreSQL's now() is at most a millisecond
 * past `now`, so what passes here passes holds_expiry_in_range too.
 */
function assertExpiryInRange(expiresAt: Date | null, now: Date): void {
  if (expiresAt === null) return;
  if (expiresAt.getTime() <= now.getTime()) {
    throw new InvalidInputError(
      `expiresAt must be in the future (the server's time is ${now.toISOString()})`,
    );
  }
  if (expiresAt.getTime() > now.getTime() + HOLD_EXPIRY_DAYS_MAX * DAY_MS) {
    throw new InvalidInputError(`expiresAt must be at most ${HOLD_EXPIRY_DAYS_MAX} days ahead`);
  }
}
