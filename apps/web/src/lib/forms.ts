import {
  minorDigitsOf,
  MoneyFormatError,
  parseAmountMinor,
  type CurrencyCode,
} from '@wallet/contract';
import type { z } from 'zod';

/** The first problem of each top-level field, as `{ amount: 'must be positive' }`. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && !(field in errors)) errors[field] = issue.message;
  }
  return errors;
}

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
