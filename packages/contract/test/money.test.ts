import { describe, expect, it } from 'vitest';

import {
  decimalTextOfNumber,
  formatMinor,
  MAX_AMOUNT_MINOR,
  minorToJsonNumber,
  MoneyFormatError,
  normalizeAmountText,
  parseAmountMinor,
} from '../src';

describe('parseAmountMinor', () => {
  it.each([
    ['100.5', 2, 10050n],
    ['100.50', 2, 10050n],
    ['0.01', 2, 1n],
    ['1.500', 2, 150n],
    ['42', 0, 42n],
    ['1.234', 3, 1234n],
    ['9999999999999.99', 2, MAX_AMOUNT_MINOR],
  ])('reads %s with %i digits as %s minor units', (text, digits, minor) => {
    expect(parseAmountMinor(text, digits)).toBe(minor);
  });

  it.each([
    ['0', 2, 'positive'],
    ['0.00', 2, 'positive'],
    ['-1', 2, 'positive'],
    ['1.001', 2, 'at most 2 decimal places in this currency'],
    ['1.5', 0, 'whole number'],
    ['1e3', 2, 'decimal number'],
    ['', 2, 'decimal number'],
    ['abc', 2, 'decimal number'],
    ['10000000000000.00', 2, 'must not exceed 9999999999999.99'],
  ])('refuses %j with %i digits (%s)', (text, digits, message) => {
    expect(() => parseAmountMinor(text, digits)).toThrow(MoneyFormatError);
    expect(() => parseAmountMinor(text, digits)).toThrow(message);
  });
});

describe('decimalTextOfNumber', () => {
  it('gives back the decimal a client wrote', () => {
    expect(decimalTextOfNumber(100.5)).toBe('100.5');
    expect(decimalTextOfNumber(0.1)).toBe('0.1');
    expect(decimalTextOfNumber(9999999999999.99)).toBe('9999999999999.99');
  });

  it('refuses what is not a plain finite decimal', () => {
    expect(() => decimalTextOfNumber(Number.NaN)).toThrow('finite');
    expect(() => decimalTextOfNumber(Infinity)).toThrow('finite');
    expect(() => decimalTextOfNumber(1e21)).toThrow('too large');
    expect(() => decimalTextOfNumber(1e-7)).toThrow('decimal places');
  });
});

describe('normalizeAmountText', () => {
  it('canonicalises', () => {
    expect(normalizeAmountText('007.50')).toBe('7.5');
    expect(normalizeAmountText(' 12 ')).toBe('12');
    expect(normalizeAmountText('0.125')).toBe('0.125');
  });

  it('refuses zero, negatives and more digits than any currency has', () => {
    expect(() => normalizeAmountText('0.000')).toThrow('positive');
    expect(() => normalizeAmountText('-3')).toThrow('positive');
    expect(() => normalizeAmountText('0.0001')).toThrow('at most 3 decimal places');
  });
});

describe('formatting', () => {
  it('prints minor units with every digit of the currency', () => {
    expect(formatMinor(10050n, 2)).toBe('100.50');
    expect(formatMinor(5n, 2)).toBe('0.05');
    expect(formatMinor(0n, 2)).toBe('0.00');
    expect(formatMinor(42n, 0)).toBe('42');
    expect(formatMinor(-1234n, 3)).toBe('-1.234');
  });

  it('turns minor units into JSON numbers that print as the same decimal', () => {
    expect(JSON.stringify(minorToJsonNumber(10050n, 2))).toBe('100.5');
    expect(JSON.stringify(minorToJsonNumber(30n, 2))).toBe('0.3');
    expect(JSON.stringify(minorToJsonNumber(MAX_AMOUNT_MINOR, 2))).toBe('9999999999999.99');
    expect(() => minorToJsonNumber(MAX_AMOUNT_MINOR + 1n, 2)).toThrow(RangeError);
  });

  it('round-trips every amount at the edge of the limits through a JSON number', () => {
    for (const minor of [1n, 99n, 123456789012345n, MAX_AMOUNT_MINOR - 1n, MAX_AMOUNT_MINOR]) {
      for (const digits of [0, 2, 3]) {
        const number = minorToJsonNumber(minor, digits);
        const reread = JSON.parse(JSON.stringify(number)) as number;
        expect(parseAmountMinor(decimalTextOfNumber(reread), digits)).toBe(minor);
      }
    }
  });
});
