import { describeIssues } from '@wallet/contract';
import type { z } from 'zod';

import { InvalidInputError } from './errors';

/** Parses an operation's input with its contract schema; every wrong field is named. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(describeIssues(parsed.error));
  return parsed.data;
}
