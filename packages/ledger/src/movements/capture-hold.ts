import { formatMinor, minorDigitsOf } from '@wallet/contract';

import { amountMinorIn, assertRoomFor } from '../amounts';
import { CaptureExceedsHoldError, HoldExpiredError, HoldNotPendingError } from '../errors';
import { holdCaptured } from '../events/catalogue';
import { newId } from '../ids';
import type { CaptureHoldResult, Hold } from '../types';
import type { CaptureHoldRequest } from '../writes';
import type { Book } from './book';
import { assertMayCredit, assertMayDebit } from './wallet-status';

/**
 * A hold's capture, once: the hold's whole amount is released and the captured amount
 * (all of it, or part) moves — to the receiver as a transfer (TRANSFER_OUT and
 * TRANSFER_IN), or, with no receiver, out as a withdrawal (WITHDRAWAL and its
 * WITHDRAWAL_COUNTER on the external account). Every entry names the hold (hold_id).
 * Refused when the hold is no longer pending, is at or past its expiry by the
 * transaction's clock (even before the sweep released it), the amount exceeds it, or
 * the receiver would pass the balance bound. The balance covers it: held ≤ balance.
 */
export function applyCaptureHold(book: Book, request: CaptureHoldRequest): CaptureHoldResult {
  const found = book.holds.get(request.holdId);
  // Expired, released or not yet: either way past capture (the sweep may not have run).
  if (found.expiresAt !== null && (found.status === 'EXPIRED' || isDue(found, book.now))) {
    throw new HoldExpiredError(found.id, found.expiresAt);
  }
  const hold = pendingHold(book, request.holdId);
  const wallet = book.wallet(hold.walletId);
  assertMayDebit(wallet);
  const amountMinor =
    request.amount === null ? hold.amountMinor : amountMinorIn(wallet.currency, request.amount);
  if (amountMinor > hold.amountMinor) {
    const digits = minorDigitsOf(hold.currency);
    throw new CaptureExceedsHoldError(
      hold.id,
      formatMinor(hold.amountMinor, digits),
      formatMinor(amountMinor, digits),
      hold.currency,
    );
  }
  const receiver = hold.receiverWalletId === null ? null : book.wallet(hold.receiverWalletId);
  if (receiver) {
    assertMayCredit(receiver);
    assertRoomFor(receiver, amountMinor);
  }
  const { transactionId } = request;
  book.release(wallet, hold.amountMinor);
  // The hold's description; the capture's own metadata (the hold keeps its placement's).
  const note = { description: hold.description, metadata: request.metadata };
  let walletAfter;
  let out;
  let into = null;
  if (receiver) {
    const links = { transferId: transactionId, holdId: hold.id };
    out = book.move(wallet, 'TRANSFER_OUT', amountMinor, note, {
      id: newId(),
      counterpartyWalletId: receiver.id,
      ...links,
    });
    walletAfter = book.view(wallet);
    into = book.move(receiver, 'TRANSFER_IN', amountMinor, note, {
      id: newId(),
      counterpartyWalletId: wallet.id,
      ...links,
    });
  } else {
    const withdrawn = book.moveAgainstExternal(
      wallet,
      'WITHDRAWAL',
      'WITHDRAWAL_COUNTER',
      amountMinor,
      note,
      transactionId,
      { holdId: hold.id },
    );
    walletAfter = withdrawn.view;
    out = withdrawn.entry;
  }
  const captured = book.holds.resolve(hold, {
    status: 'CAPTURED',
    capturedMinor: amountMinor,
    transactionId,
  });
  book.emit(holdCaptured(captured, transactionId, out, into));
  return {
    hold: captured,
    transactionId,
    wallet: walletAfter,
    receiver: receiver && book.view(receiver),
  };
}

/** True when the transaction's clock is at or past the hold's expiry. */
export function isDue(hold: Hold, now: Date): boolean {
  return hold.expiresAt !== null && now.getTime() >= hold.expiresAt.getTime();
}

/** The locked hold, refused unless it is still pending (a hold is resolved once). */
export function pendingHold(book: Book, holdId: string): Hold {
  const hold = book.holds.get(holdId);
  if (hold.status !== 'PENDING') throw new HoldNotPendingError(hold.id, hold.status);
  return hold;
}
