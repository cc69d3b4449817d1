import { z } from 'zod';

import { fieldError } from './issues';

/**
 * A lone UTF-16 surrogate: a half of a character, which no UTF-8 text can hold. In a
 * module of its own so that schemas.ts and metadata.ts both use it without importing
 * each other (schemas.ts uses the metadata schema when its module is evaluated).
 */
export const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Free text of at most `lengthMax` characters, stored as sent or not at all. PostgreSQL's
 * `text` cannot hold U+0000 (the insert fails: a 500 before this check), and UTF-8 cannot
 * encode a lone surrogate (the driver would silently store U+FFFD in its place), so both
 * are refused up front. A description and a metadata value are such text.
 */
export function storableTextSchema(lengthMax: number) {
  return z
    .string({ error: fieldError('must be a string') })
    .max(lengthMax, { error: `must be at most ${lengthMax} characters` })
    .refine((text) => !text.includes('\u0000'), {
      error: 'must not contain NUL (U+0000) characters',
    })
    .refine((text) => !LONE_SURROGATE.test(text), {
      error: 'must be well-formed Unicode (it holds a lone surrogate)',
    });
}
