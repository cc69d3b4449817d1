import {
  formatMinor,
  MAX_BALANCE_MINOR,
  MAX_CURRENCY_TOTAL_MINOR,
  minorDigitsOf,
  MoneyFormatError,
  parseAmountMinor,
  type CurrencyCode,
} from '@wallet/contract';

import { BalanceLimitExceededError, InsufficientFundsError, InvalidInputError } from './errors';

/** The amount in the wallet's minor units, refusing more digits than its currency has. */
export function amountMinorIn(currency: CurrencyCode, amount: string): bigint {
  try {
    return parseAmountMinor(amount, minorDigitsOf(currency));
  } catch (error) {
    if (error instanceof MoneyFormatError) {
      throw new InvalidInputError(`amount ${error.message} (${currency})`);
    }
    throw error;
  }
}

/** Refuses a credit that would take the wallet past the largest balance the service keeps. */
export function assertRoomFor(
  wallet: { id: string; currency: CurrencyCode; balanceMinor: bigint },
  amountMinor: bigint,
): void {
  if (wallet.balanceMinor + amountMinor <= MAX_BALANCE_MINOR) return;
  const { currency } = wallet;
  throw new BalanceLimitExceededError(
    wallet.id,
    formatMinor(MAX_BALANCE_MINOR, minorDigitsOf(currency)),
    currency,
  );
}

/**
 * Refuses a funding that would take the money in the currency's wallets past what its
 * external account can hold the opposite of (a bigint), before PostgreSQL would fail on it.
 */
export function assertRoomInCurrency(
  external: { id: string; currency: CurrencyCode; balanceMinor: bigint },
  amountMinor: bigint,
): void {
  if (-external.balanceMinor + amountMinor <= MAX_CURRENCY_TOTAL_MINOR) return;
  const { currency } = external;
  throw new BalanceLimitExceededError(
    external.id,
    formatMinor(MAX_CURRENCY_TOTAL_MINOR, minorDigitsOf(currency)),
    currency,
    'currency',
  );
}

/**
 * Refuses a debit of more than the wallet has available (a transfer's, a withdrawal's, a
 * new hold's): its balance less what its pending holds reserve.
 */
export function assertFundsFor(
  wallet: { id: string; currency: CurrencyCode; balanceMinor: bigint; heldMinor: bigint },
  amountMinor: bigint,
): void {
  const availableMinor = wallet.balanceMinor - wallet.heldMinor;
  if (availableMinor >= amountMinor) return;
  const digits = minorDigitsOf(wallet.currency);
  throw new InsufficientFundsError(
    wallet.id,
    formatMinor(availableMinor, digits),
    formatMinor(amountMinor, digits),
    wallet.currency,
  );
}
