import {
  minorDigitsOf,
  MoneyFormatError,
  parseAmountMinor,
  type CurrencyCode,
} from '@wallet/contract';

/** An empty text field means "not given": the schemas then say "is required" or use their default. */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The contract's amount schema accepts the finest digits of any currency; this checks the
 * amount against the wallet's own currency, with the contract's exact parser.
 */
export function amountProblemFor(amount: string, currency: CurrencyCode): string | undefined {
  try {
    parseAmountMinor(amount, minorDigitsOf(currency));
    return undefined;
  } catch (error) {
    if (error instanceof MoneyFormatError) return error.message;
    throw error;
  }
}
