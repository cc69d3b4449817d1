import { holdChanged } from '../events/catalogue';
import type { VoidHoldResult } from '../types';
import type { VoidHoldRequest } from '../writes';
import type { Book } from './book';
import { isDue, pendingHold } from './capture-hold';

/**
 * A hold's void: its amount is released and nothing moves (no entry). A void at or past
 * the hold's expiry releases it as EXPIRED, what the sweep would have done. Refused when
 * the hold is no longer pending.
 */
export function applyVoidHold(book: Book, request: VoidHoldRequest): VoidHoldResult {
  const hold = pendingHold(book, request.holdId);
  const wallet = book.wallet(hold.walletId);
  const expired = isDue(hold, book.now);
  book.release(wallet, hold.amountMinor);
  const voided = book.holds.resolve(hold, {
    status: expired ? 'EXPIRED' : 'VOIDED',
    capturedMinor: 0n,
    transactionId: null,
  });
  book.emit(
    holdChanged(expired ? 'hold.expired' : 'hold.voided', voided, wallet.lastEntrySequence),
  );
  return { hold: voided, wallet: book.view(wallet) };
}
