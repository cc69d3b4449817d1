import { amountMinorIn, assertFundsFor } from '../amounts';
import { oneWalletMovement } from '../events/catalogue';
import type { WithdrawResult } from '../types';
import type { WithdrawRequest } from '../writes';
import type { Book } from './book';
import { assertMayDebit } from './wallet-status';

/**
 * A withdrawal (payout): money leaves one wallet to the outside, as a WITHDRAWAL on the
 * wallet and its WITHDRAWAL_COUNTER on the currency's external account (which names the
 * WITHDRAWAL entry in transfer_id). Refused when the amount has more digits than the
 * wallet's currency, or the wallet holds less than the amount (INSUFFICIENT_FUNDS, as a
 * transfer's sender).
 */
export function applyWithdraw(book: Book, request: WithdrawRequest): WithdrawResult {
  const wallet = book.wallet(request.walletId);
  assertMayDebit(wallet);
  const amountMinor = amountMinorIn(wallet.currency, request.amount);
  assertFundsFor(wallet, amountMinor);
  const { entry, view } = book.moveAgainstExternal(
    wallet,
    'WITHDRAWAL',
    'WITHDRAWAL_COUNTER',
    amountMinor,
    request,
    request.entryId,
  );
  book.emit(oneWalletMovement('wallet.withdrawn', entry));
  return { wallet: view, entry };
}
