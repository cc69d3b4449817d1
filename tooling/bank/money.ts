import { formatMinor } from '@wallet/contract';

/**
 * The bank test's money: USD in integer cents (bigint), converted to and from the wire's
 * decimal text and JSON numbers through their digits, never through float arithmetic.
 */

const USD_DIGITS = 2;
const SIGNED_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `1050n` → `"10.50"`, the text tRPC takes and gives. */
export function centsToText(cents: bigint): string {
  return formatMinor(cents, USD_DIGITS);
}

/**
 * `1050n` → `10.5`, the JSON number REST takes. Exact: every amount here has far fewer
 * than 15 significant digits, and the API reads the number back through its shortest text.
 */
export function centsToJsonNumber(cents: bigint): number {
  return Number(centsToText(cents));
}

/** `"-10.5"` → `-1050n`. Throws on anything that is not an exact amount of cents. */
export function centsOfText(text: string): bigint {
  const match = SIGNED_DECIMAL.exec(text);
  if (!match) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const [, sign = '', whole = '0', rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > USD_DIGITS) throw new Error(`finer than a cent: ${text}`);
  const cents = BigInt(whole + fraction.padEnd(USD_DIGITS, '0'));
  return sign === '-' ? -cents : cents;
}

/** A REST JSON number (`10.5`) → `1050n`, through the shortest text that reads back the same. */
export function centsOfJsonNumber(value: number): bigint {
  if (!Number.isFinite(value)) throw new Error(`not a finite amount: ${value}`);
  return centsOfText(String(value));
}
