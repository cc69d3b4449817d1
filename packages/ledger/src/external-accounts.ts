import type { CurrencyCode } from '@wallet/contract';

/**
 * Each currency's external ("world") account: a wallets row of kind EXTERNAL whose
 * entries are the counter-entries of every FUND (FUND_COUNTER, a debit) and WITHDRAWAL
 * (WITHDRAWAL_COUNTER, a credit), so every transaction sums to zero and the whole
 * ledger sums to zero per currency. Its balance is minus the money in the wallets.
 *
 * Its id is made from the currency, so the ledger needs no lookup to name it: a UUID of
 * version 8 (custom) ending in the currency's ASCII code, USD being
 * 00000000-0000-8000-8000-000000555344. The database checks the same formula
 * (wallets_external_id_of_currency). A batch locks them after its wallets (in the one
 * global order: wallets by id, then external accounts by id), so a batch waiting on a
 * wallet holds no external account. They are the one row every funding and withdrawal
 * of a currency shares: such batches of one currency commit one after the other.
 */
const EXTERNAL_ACCOUNT_ID_PREFIX = '00000000-0000-8000-8000-000000';

export function externalAccountIdOf(currency: CurrencyCode): string {
  // A currency code is three ASCII letters (A-Z): one byte, two hex digits, each.
  return EXTERNAL_ACCOUNT_ID_PREFIX + Buffer.from(currency, 'ascii').toString('hex');
}
