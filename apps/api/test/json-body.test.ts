import { JsonNumberText } from '@wallet/contract';
import { describe, expect, it } from 'vitest';

import { MalformedJsonError } from '../src/errors';
import { parseJsonBody, parseJsonNumber } from '../src/rest/json-body';

describe('parseJsonNumber', () => {
  it.each([
    ['100.5', 100.5],
    ['100.50', 100.5],
    ['0.1', 0.1],
    ['9999999999999.99', 9999999999999.99],
    ['-3', -3],
    ['1e2', 100],
  ])('%s round-trips, so it becomes the number %d', (text, value) => {
    expect(parseJsonNumber(text)).toBe(value);
  });

  it.each([
    '100.500000000000001',
    '123456789012345678901234567890',
    '9007199254740993',
    '1e400',
    '1e-400',
  ])('%s would change as a double, so it stays text, wrapped as the number it is', (text) => {
    // Not a bare string: a string field must not take a number for text.
    expect(parseJsonNumber(text)).toStrictEqual(new JsonNumberText(text));
  });
});

describe('parseJsonBody', () => {
  it('keeps every other value as JSON.parse would', () => {
    const text = '{"a":[1,"x",true,null,{"b":2.5}],"c":"d"}';
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
  });

  it('reads an empty or blank body as {}', () => {
    expect(parseJsonBody('')).toEqual({});
    expect(parseJsonBody(' \n')).toEqual({});
  });

  it('refuses malformed JSON and keys given twice', () => {
    expect(() => parseJsonBody('{"a":')).toThrow(MalformedJsonError);
    expect(() => parseJsonBody('{"a":1,"a":2}')).toThrow(MalformedJsonError);
  });
});
