import { amountMinorIn, assertRoomFor, assertRoomInCurrency } from '../amounts';
import { newId } from '../ids';
import type { FundResult } from '../types';
import type { FundRequest } from '../writes';
import { asWalletEntry, type Book } from './book';

/**
 * A funding: money enters one wallet from outside, as a FUND on the wallet and its
 * FUND_COUNTER on the currency's external account (which names the FUND entry in
 * transfer_id). Refused when the amount has more digits than the wallet's currency, or
 * would take it, or all the currency's wallets together, past the balance bounds.
 */
export function applyFund(book: Book, request: FundRequest): FundResult {
  const wallet = book.wallet(request.walletId);
  const amountMinor = amountMinorIn(wallet.currency, request.amount);
  assertRoomFor(wallet, amountMinor);
  const external = book.externalAccount(wallet.currency);
  assertRoomInCurrency(external, amountMinor);
  const entry = book.move(wallet, 'FUND', amountMinor, request.description, {
    id: request.entryId,
    counterpartyWalletId: null,
    transferId: null,
  });
  const view = book.view(wallet);
  book.move(external, 'FUND_COUNTER', amountMinor, request.description, {
    id: newId(),
    counterpartyWalletId: wallet.id,
    transferId: request.entryId,
  });
  return { wallet: view, entry: asWalletEntry(entry) };
}
