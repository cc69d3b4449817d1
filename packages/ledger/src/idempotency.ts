import { createHash } from 'node:crypto';

export type IdempotentOperation = 'FUND' | 'TRANSFER';

/**
 * What a write claims when it carries an idempotency key. The key is claimed inside the
 * write's transaction (apply-batch.ts): the primary key of idempotency_keys decides, so a
 * concurrent claim of the same key waits until the first commits and then finds it
 * taken; a refused write releases its claim, so a key is spent only by a write that
 * moved money.
 */
export function idempotencyClaim(
  key: string | undefined,
  operation: IdempotentOperation,
  fields: readonly unknown[],
): { key: string; fingerprint: string } | null {
  if (key === undefined) return null;
  return { key, fingerprint: fingerprintOf(operation, fields) };
}

/** SHA-256 of the parsed request, in a fixed field order, to tell a retry from a new request. */
export function fingerprintOf(operation: IdempotentOperation, fields: readonly unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, ...fields]))
    .digest('hex');
}
