import { MAX_MINOR_DIGITS } from './currencies';
import { MAX_AMOUNT_MINOR } from './limits';

/**
 * Money crosses the edges as decimal text and lives inside as integer minor units
 * (bigint). Every conversion here works on the digits of the text: no floating-point
 * arithmetic ever touches an amount.
 */

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?$/;

/** Its message completes a sentence that starts with the field's name: "amount must be positive". */
export class MoneyFormatError extends Error {
  override readonly name = 'MoneyFormatError';
}

/**
 * Exact decimal text of a JSON number as JavaScript holds it. `String(n)` prints the
 * shortest decimal that reads back as the same double, which is the text the client
 * wrote for every amount within the limits (at most 15 significant digits).
 */
export function decimalTextOfNumber(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyFormatError('must be a finite number');
  const text = String(value);
  if (!text.includes('e')) return text;
  // Exponent notation appears only below 1e-6 or from 1e21 up: too precise or too large.
  if (Math.abs(value) >= 1) throw new MoneyFormatError('is too large');
  throw new MoneyFormatError('has too many decimal places');
}

/**
 * Checks the shape of positive decimal text before any currency is known (at most the
 * finest currency's digits) and returns it canonical: `"007.50"` → `"7.5"`.
 */
export function normalizeAmountText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) throw new MoneyFormatError('must be positive');
  const match = DECIMAL_TEXT.exec(trimmed);
  if (!match) throw new MoneyFormatError('must be a decimal number');
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > MAX_MINOR_DIGITS) {
    throw new MoneyFormatError(`must have at most ${MAX_MINOR_DIGITS} decimal places`);
  }
  if (/^0*$/.test(whole + fraction)) throw new MoneyFormatError('must be positive');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/**
 * Parses positive decimal text (`"100.5"`, `"0.01"`) into minor units of a currency
 * with `minorDigits` digits. Trailing zeros beyond those digits are harmless (`"1.50"`
 * for JPY is not, `"1.500"` for USD is); anything finer than a minor unit is refused.
 */
export function parseAmountMinor(text: string, minorDigits: number): bigint {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) throw new MoneyFormatError('must be positive');
  const match = DECIMAL_TEXT.exec(trimmed);
  if (!match) throw new MoneyFormatError('must be a decimal number');
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > minorDigits) {
    throw new MoneyFormatError(
      minorDigits === 0
        ? 'must be a whole number in this currency'
        : `must have at most ${minorDigits} decimal places in this currency`,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(minorDigits, '0'));
  if (minor <= 0n) throw new MoneyFormatError('must be positive');
  if (minor > MAX_AMOUNT_MINOR) {
    throw new MoneyFormatError(`must not exceed ${formatMinor(MAX_AMOUNT_MINOR, minorDigits)}`);
  }
  return minor;
}

/** Minor units as canonical decimal text with all the currency's digits: `10050n, 2` → `"100.50"`. */
export function formatMinor(minor: bigint, minorDigits: number): string {
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(minorDigits + 1, '0');
  if (minorDigits === 0) return sign + digits;
  const cut = digits.length - minorDigits;
  return `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Minor units as a JSON number with the same decimal value (`10050n` → `100.5`), for the
 * REST responses the documentation shows. Exact: the value is at most MAX_BALANCE_MINOR
 * in magnitude, 15 significant digits, which a double carries and prints back unchanged.
 */
export function minorToJsonNumber(minor: bigint, minorDigits: number): number {
  const bound = MAX_AMOUNT_MINOR;
  if (minor > bound || minor < -bound) {
    throw new RangeError(`${minor} minor units exceed what a JSON number carries exactly`);
  }
  return Number(formatMinor(minor, minorDigits));
}
