import type { z } from 'zod';

/**
 * One sentence per problem, naming the field as the client spelt it:
 * "amount must be positive; wallet_id is required".
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const where = field ? ` in ${field}` : '';
        return issue.keys.map((key) => `${key} is not a known field${where}`).join('; ');
      }
      return field ? `${field} ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * An error for a field: "is required" when it is missing, `message` otherwise, so each
 * field says what it expects instead of zod's generic "Invalid input".
 */
export function fieldError(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}
