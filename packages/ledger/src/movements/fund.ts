import { amountMinorIn, assertRoomFor } from '../amounts';
import type { FundResult } from '../types';
import type { FundRequest } from '../writes';
import type { Book } from './book';

/**
 * A funding: money enters one wallet from outside the ledger. Refused when the amount
 * has more digits than the wallet's currency, or would take it past the balance bound.
 */
export function applyFund(book: Book, request: FundRequest): FundResult {
  const wallet = book.wallet(request.walletId);
  const amountMinor = amountMinorIn(wallet.currency, request.amount);
  assertRoomFor(wallet, amountMinor);
  const entry = book.move(wallet, 'FUND', amountMinor, request.description, {
    id: request.entryId,
    counterpartyWalletId: null,
    transferId: null,
  });
  return { wallet: book.view(wallet), entry };
}
