import { describeIssues } from '@wallet/contract';
import { InvalidInputError } from '@wallet/ledger';
import type { z } from 'zod';

/** Direct callers' input is checked with the contract's schemas, as tRPC and REST do. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error));
  return parsed.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A keyset cursor: the last id of the previous page (ids are UUIDv7, newest first). */
export function uuidCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!UUID.test(cursor)) throw new InvalidInputError('cursor is not valid');
  return cursor;
}

export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
