import { amountMinorIn, assertFundsFor, assertRoomFor } from '../amounts';
import { CurrencyMismatchError } from '../errors';
import { transferCompleted } from '../events/catalogue';
import { newId } from '../ids';
import type { TransferResult } from '../types';
import type { TransferRequest } from '../writes';
import type { Book } from './book';
import { assertMayCredit, assertMayDebit } from './wallet-status';

/**
 * A transfer: money moves between two wallets of one currency, as a TRANSFER_OUT and a
 * TRANSFER_IN of the same amount. Refused when the currencies differ, the sender has
 * less than the amount, or the receiver would pass the balance bound.
 */
export function applyTransfer(book: Book, request: TransferRequest): TransferResult {
  const sender = book.wallet(request.senderWalletId);
  const receiver = book.wallet(request.receiverWalletId);
  assertMayDebit(sender);
  assertMayCredit(receiver);
  if (sender.currency !== receiver.currency) {
    throw new CurrencyMismatchError(sender.currency, receiver.currency);
  }
  const amountMinor = amountMinorIn(sender.currency, request.amount);
  assertFundsFor(sender, amountMinor);
  assertRoomFor(receiver, amountMinor);
  const { transferId } = request;
  const out = book.move(sender, 'TRANSFER_OUT', amountMinor, request, {
    id: newId(),
    counterpartyWalletId: receiver.id,
    transferId,
  });
  const senderAfter = book.view(sender);
  const into = book.move(receiver, 'TRANSFER_IN', amountMinor, request, {
    id: newId(),
    counterpartyWalletId: sender.id,
    transferId,
  });
  book.emit(transferCompleted(transferId, out, into));
  return { transferId, sender: senderAfter, receiver: book.view(receiver) };
}
