import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';

import { serializeOutput } from '../src/trpc/output-serializer';

/** Values shaped like what procedures return, and everything superjson treats apart. */
const unusual = fc.oneof(
  fc.constantFrom(undefined, Number.NaN, Infinity, -Infinity, -0, new Date(Number.NaN)),
  fc.bigInt(),
  fc.string().map((text) => new Set([text])),
  fc.string().map((text) => new Map([[text, 1]])),
  fc.constantFrom(/x/g, new Error('x'), new URL('http://127.0.0.1/')),
);
const plainLeaf = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      fc.boolean(),
      fc.constant(null),
    ),
  },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }) },
);
const leaf = fc.oneof({ weight: 9, arbitrary: plainLeaf }, { weight: 1, arbitrary: unusual });
const key = fc.oneof(
  fc.string(),
  fc.constantFrom('a.b', 'a\\b', '', '0', '__proto__', 'constructor', 'prototype', 'createdAt'),
);
function outputOf(leaves: fc.Arbitrary<unknown>, keys: fc.Arbitrary<string>) {
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaves, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(keys, tie('value'), { maxKeys: 6 }),
  })).value;
}
const output = outputOf(leaf, key);
/** Keys superjson writes as they are (no path escape, nothing it refuses). */
const plainKey = fc
  .string()
  .filter(
    (text) => !/[.\\]/.test(text) && !['__proto__', 'constructor', 'prototype'].includes(text),
  );
const plainOutput = outputOf(plainLeaf, plainKey);

/**
 * The JSON a serializer writes (parsed: superjson's path map lists integer-like keys
 * first, as any JS object does, an order that carries no meaning), or what it throws.
 */
function outcome(serialize: (value: unknown) => unknown, value: unknown) {
  try {
    return { json: JSON.parse(JSON.stringify(serialize(value))) as unknown };
  } catch (error) {
    return { threw: String(error) };
  }
}

describe('serializeOutput', () => {
  it('writes exactly what superjson writes, for any value', () => {
    fc.assert(
      fc.property(output, (value) => {
        expect(outcome(serializeOutput, value)).toEqual(outcome(superjson.serialize, value));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes what superjson writes when one Date or object is met twice', () => {
    const date = new Date(0);
    const wallet = { id: 'w', createdAt: date, updatedAt: date };
    for (const value of [wallet, [wallet, wallet], { a: wallet, b: { c: wallet } }]) {
      expect(outcome(serializeOutput, value)).toEqual(outcome(superjson.serialize, value));
    }
  });

  it('reads back through superjson as the value itself, for plain values', () => {
    fc.assert(
      fc.property(plainOutput, (value) => {
        const text = JSON.stringify(serializeOutput(value));
        expect(superjson.deserialize(JSON.parse(text) as never)).toEqual(value);
      }),
      { numRuns: 1000 },
    );
  });
});
