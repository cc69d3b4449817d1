import type { z } from 'zod';

/** One problem with the input: the field as the client spelt it ("" for the whole input), and a sentence. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Each problem as its own sentence, naming the field: "amount must be positive". */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = field ? ` in ${field}` : '';
      return issue.keys.map((key) => ({
        field: field ? `${field}.${key}` : key,
        message: `${key} is not a known field${where}`,
      }));
    }
    return [{ field, message: field ? `${field} ${issue.message}` : issue.message }];
  });
}

/**
 * One sentence per problem, naming the field as the client spelt it:
 * "amount must be positive; wallet_id is required".
 */
export function describeIssues(error: z.ZodError): string {
  return fieldIssuesOf(error)
    .map((issue) => issue.message)
    .join('; ');
}

/**
 * An error for a field: "is required" when it is missing, `message` otherwise, so each
 * field says what it expects instead of zod's generic "Invalid input".
 */
export function fieldError(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}
