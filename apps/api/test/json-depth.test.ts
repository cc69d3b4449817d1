import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { nestingDepthOf } from '../src/rest/json-body';
import { nestedDeeperThan } from '../src/trpc/init';
import { runs } from './support/hostile';

/**
 * The two depth measures that guard the parsers, against a plain recursive count: the
 * REST one reads JSON text (brackets inside strings must not count), the tRPC one walks
 * a parsed value. A miscount either way would refuse valid input or let a deep one by.
 */

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

/** Any JSON values, and values whose strings are full of brackets, quotes and backslashes. */
const bracketful = fc.jsonValue({ maxDepth: 6, depthSize: 'medium' });
const bracketString = fc.string({
  unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ':', ','),
});
const trickyJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'medium' },
    bracketString,
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(bracketString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('nestingDepthOf (JSON text)', () => {
  it('equals the depth of the value the text holds', () => {
    fc.assert(
      fc.property(fc.oneof(bracketful, trickyJson), fc.constantFrom(0, 2), (value, indent) => {
        expect(nestingDepthOf(JSON.stringify(value, null, indent))).toBe(depthOf(value));
      }),
      runs(500),
    );
  });

  it('reads escaped quotes and backslashes inside strings', () => {
    expect(nestingDepthOf(String.raw`{"a":"\"[[[","b":"\\","c":[["\\\"{"]]}`)).toBe(3);
    expect(nestingDepthOf('"[[[[["')).toBe(0);
  });
});

describe('nestedDeeperThan (parsed value)', () => {
  it('agrees with the depth of the value, for every limit', () => {
    fc.assert(
      fc.property(fc.oneof(bracketful, trickyJson), fc.nat(8), (value, limit) => {
        expect(nestedDeeperThan(value, limit)).toBe(depthOf(value) > limit);
      }),
      runs(500),
    );
  });

  it('walks 100,000 levels without recursion', () => {
    let deep: unknown = 0;
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(nestedDeeperThan(deep, 32)).toBe(true);
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(nestingDepthOf(text)).toBe(100_000);
  });
});
