import { amountMinorIn, assertFundsFor } from '../amounts';
import { newId } from '../ids';
import type { WithdrawResult } from '../types';
import type { WithdrawRequest } from '../writes';
import { asWalletEntry, type Book } from './book';

/**
 * A withdrawal (payout): money leaves one wallet to the outside, as a WITHDRAWAL on the
 * wallet and its WITHDRAWAL_COUNTER on the currency's external account (which names the
 * WITHDRAWAL entry in transfer_id). Refused when the amount has more digits than the
 * wallet's currency, or the wallet holds less than the amount (INSUFFICIENT_FUNDS, as a
 * transfer's sender).
 */
export function applyWithdraw(book: Book, request: WithdrawRequest): WithdrawResult {
  const wallet = book.wallet(request.walletId);
  const amountMinor = amountMinorIn(wallet.currency, request.amount);
  assertFundsFor(wallet, amountMinor);
  const external = book.externalAccount(wallet.currency);
  const entry = book.move(wallet, 'WITHDRAWAL', amountMinor, request.description, {
    id: request.entryId,
    counterpartyWalletId: null,
    transferId: null,
  });
  const view = book.view(wallet);
  book.move(external, 'WITHDRAWAL_COUNTER', amountMinor, request.description, {
    id: newId(),
    counterpartyWalletId: wallet.id,
    transferId: request.entryId,
  });
  return { wallet: view, entry: asWalletEntry(entry) };
}
