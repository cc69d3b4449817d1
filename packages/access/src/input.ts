import { describeIssues } from '@wallet/contract';
import type { z } from 'zod';

import { InvalidAccessInputError } from './errors';

/** Parses with a contract schema; a failure names every wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidAccessInputError(describeIssues(parsed.error));
  return parsed.data;
}

/** A keyset cursor that must be a UUID (ids are UUIDv7, so newest first is id descending). */
export function uuidCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(cursor)) {
    throw new InvalidAccessInputError('cursor is not valid');
  }
  return cursor;
}

export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
