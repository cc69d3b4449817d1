import { formatMinor, minorDigitsOf, type CurrencyCode } from '@wallet/contract';

/**
 * Money arrives from the API as exact decimal text ("1234.50"). It is shown by handing that
 * text to Intl.NumberFormat, which formats a numeric string as an exact decimal (no float
 * rounding), with the currency's own number of minor digits.
 */

type DecimalText = `${number}`;

const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?$/;

function isDecimalText(text: string): text is DecimalText {
  return DECIMAL_TEXT.test(text);
}

const plainFormats = new Map<CurrencyCode, Intl.NumberFormat>();
const currencyFormats = new Map<CurrencyCode, Intl.NumberFormat>();

function plainFormat(currency: CurrencyCode): Intl.NumberFormat {
  let format = plainFormats.get(currency);
  if (!format) {
    const digits = minorDigitsOf(currency);
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    plainFormats.set(currency, format);
  }
  return format;
}

function currencyFormat(currency: CurrencyCode): Intl.NumberFormat {
  let format = currencyFormats.get(currency);
  if (!format) {
    const digits = minorDigitsOf(currency);
    format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    currencyFormats.set(currency, format);
  }
  return format;
}

/** "1234.5" in USD → "1,234.50": digit grouping and the currency's minor digits, no symbol. */
export function formatAmount(decimal: string, currency: CurrencyCode): string {
  return isDecimalText(decimal) ? plainFormat(currency).format(decimal) : decimal;
}

/** "1234.5" in USD → "$1,234.50"; CHF → "CHF 1,234.50". */
export function formatMoney(decimal: string, currency: CurrencyCode): string {
  return isDecimalText(decimal)
    ? currencyFormat(currency).format(decimal)
    : `${decimal} ${currency}`;
}

/**
 * `a − b` as decimal text, exactly (in minor units, as bigints), for two amounts the API sent
 * in the currency's canonical form ("-12.50", "0.00"); undefined for any other text.
 */
export function decimalDifference(
  a: string,
  b: string,
  currency: CurrencyCode,
): string | undefined {
  const digits = minorDigitsOf(currency);
  const minorA = canonicalMinor(a, digits);
  const minorB = canonicalMinor(b, digits);
  if (minorA === undefined || minorB === undefined) return undefined;
  return formatMinor(minorA - minorB, digits);
}

function canonicalMinor(decimal: string, digits: number): bigint | undefined {
  const canonical = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
  return canonical.test(decimal) ? BigInt(decimal.replace('.', '')) : undefined;
}

/**
 * For the chart only: a balance as a JavaScript number, to place a point on an axis. Balances
 * are at most 15 significant digits (the contract's MAX_BALANCE_MINOR), so the point is where
 * it should be; the number is never used for arithmetic or shown as an amount.
 */
export function decimalToPlotNumber(decimal: string): number {
  return Number(decimal);
}
