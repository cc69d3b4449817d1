import { z } from 'zod';

import { fieldError } from './issues';
import {
  METADATA_FILTERS_MAX,
  METADATA_KEY_LENGTH_MAX,
  METADATA_KEYS_MAX,
  METADATA_VALUE_LENGTH_MAX,
} from './limits';
import { storableTextSchema } from './text';

/**
 * One definition of metadata, for every write, every wallet and every filter: keys are
 * short identifiers (letters, digits and `_ - . :`, so that `metadata[key]=value` in a
 * query string needs no escaping), values short strings. Numbers, nesting and nulls are
 * refused rather than coerced: what a client stores is exactly what it reads back.
 */

export type Metadata = Record<string, string>;

const METADATA_KEY = /^[A-Za-z0-9_.:-]+$/;

export const metadataKeySchema = z
  .string({ error: fieldError('must be a string') })
  .min(1, { error: 'must not be empty' })
  .max(METADATA_KEY_LENGTH_MAX, {
    error: `must be at most ${METADATA_KEY_LENGTH_MAX} characters`,
  })
  .regex(METADATA_KEY, { error: 'may hold only letters, digits and _ - . :' });

export const metadataValueSchema = storableTextSchema(METADATA_VALUE_LENGTH_MAX);

export const metadataSchema = z
  .record(metadataKeySchema, metadataValueSchema, {
    error: fieldError('must be an object of string values'),
  })
  .refine((metadata) => Object.keys(metadata).length <= METADATA_KEYS_MAX, {
    error: `must have at most ${METADATA_KEYS_MAX} keys`,
  });

/**
 * Filters on metadata, every one of which must match (`metadata[order]=A-17`): REST reads
 * them from the query string's bracketed keys, tRPC takes the object as it is.
 */
export const metadataFilterSchema = z
  .record(metadataKeySchema, metadataValueSchema, {
    error: fieldError('must be an object of string values'),
  })
  .refine((filter) => Object.keys(filter).length >= 1, { error: 'must name at least one key' })
  .refine((filter) => Object.keys(filter).length <= METADATA_FILTERS_MAX, {
    error: `may combine at most ${METADATA_FILTERS_MAX} keys`,
  });
