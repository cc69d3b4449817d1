import { amountMinorIn, assertRoomFor, assertRoomInCurrency } from '../amounts';
import { oneWalletMovement } from '../events/catalogue';
import type { FundResult } from '../types';
import type { FundRequest } from '../writes';
import type { Book } from './book';
import { assertMayCredit } from './wallet-status';

/**
 * A funding: money enters one wallet from outside, as a FUND on the wallet and its
 * FUND_COUNTER on the currency's external account (which names the FUND entry in
 * transfer_id). Refused when the amount has more digits than the wallet's currency, or
 * would take it, or all the currency's wallets together, past the balance bounds.
 */
export function applyFund(book: Book, request: FundRequest): FundResult {
  const wallet = book.wallet(request.walletId);
  assertMayCredit(wallet);
  const amountMinor = amountMinorIn(wallet.currency, request.amount);
  assertRoomFor(wallet, amountMinor);
  assertRoomInCurrency(book.externalAccount(wallet.currency), amountMinor);
  const { entry, view } = book.moveAgainstExternal(
    wallet,
    'FUND',
    'FUND_COUNTER',
    amountMinor,
    request,
    request.entryId,
  );
  book.emit(oneWalletMovement('wallet.funded', entry));
  return { wallet: view, entry };
}
