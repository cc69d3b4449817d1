/**
 * The ISO 4217 currencies a wallet may hold, each with its number of minor-unit
 * digits (USD has cents: 2; JPY has none: 0; KWD has fils: 3). Adding a code here
 * is all it takes to support it: the database only checks the code's shape.
 */
export const CURRENCIES = {
  USD: { minorDigits: 2, name: 'US dollar' },
  EUR: { minorDigits: 2, name: 'Euro' },
  GBP: { minorDigits: 2, name: 'Pound sterling' },
  CHF: { minorDigits: 2, name: 'Swiss franc' },
  CAD: { minorDigits: 2, name: 'Canadian dollar' },
  AUD: { minorDigits: 2, name: 'Australian dollar' },
  JPY: { minorDigits: 0, name: 'Japanese yen' },
  KWD: { minorDigits: 3, name: 'Kuwaiti dinar' },
} as const satisfies Record<string, { minorDigits: number; name: string }>;

export type CurrencyCode = keyof typeof CURRENCIES;

export const CURRENCY_CODES = Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]];

export const DEFAULT_CURRENCY: CurrencyCode = 'USD';

/** The most minor-unit digits any supported currency has: the finest amount the API accepts. */
export const MAX_MINOR_DIGITS = Math.max(...CURRENCY_CODES.map((c) => CURRENCIES[c].minorDigits));

export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(CURRENCIES, value);
}

export function minorDigitsOf(currency: CurrencyCode): number {
  return CURRENCIES[currency].minorDigits;
}
