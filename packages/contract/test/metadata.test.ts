import { describe, expect, it } from 'vitest';

import {
  METADATA_KEYS_MAX,
  METADATA_VALUE_LENGTH_MAX,
  metadataFilterSchema,
  metadataSchema,
} from '../src';

describe('metadata', () => {
  it('keeps a flat object of strings exactly as given', () => {
    const metadata = { order_id: 'A-17', 'crm:owner': 'u.42', empty: '' };
    expect(metadataSchema.parse(metadata)).toEqual(metadata);
  });

  it.each([
    ['a number value', { order: 17 }],
    ['a nested value', { order: { id: 'A' } }],
    ['a null value', { order: null }],
    ['an array', ['A-17']],
    ['a key with a space', { 'order id': 'A' }],
    ['a key with brackets', { 'a[b]': 'A' }],
    ['an empty key', { '': 'A' }],
    ['a value with NUL', { order: 'A\u0000' }],
    ['a lone surrogate', { order: '\ud800' }],
    ['a value too long', { order: 'x'.repeat(METADATA_VALUE_LENGTH_MAX + 1) }],
    [
      'too many keys',
      Object.fromEntries(Array.from({ length: METADATA_KEYS_MAX + 1 }, (_, i) => [`k${i}`, 'v'])),
    ],
  ])('refuses %s', (_name, input) => {
    expect(metadataSchema.safeParse(input).success).toBe(false);
  });

  it('filters name at least one key and at most a few', () => {
    expect(metadataFilterSchema.safeParse({}).success).toBe(false);
    expect(metadataFilterSchema.safeParse({ a: '1', b: '2' }).success).toBe(true);
    expect(metadataFilterSchema.safeParse({ a: '1', b: '2', c: '3', d: '4', e: '5' }).success).toBe(
      false,
    );
  });
});
