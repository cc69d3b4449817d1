import { createHash } from 'node:crypto';

import { schema } from '@wallet/db';
import { eq } from 'drizzle-orm';

import { assert } from './assert';
import { DuplicateIdempotencyKeyError } from './errors';
import type { Tx } from './transaction';

const { idempotencyKeys } = schema;

export type IdempotentOperation = 'FUND' | 'TRANSFER';

/** SHA-256 of the parsed request, in a fixed field order, to tell a retry from a new request. */
export function fingerprintOf(operation: IdempotentOperation, fields: readonly unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, ...fields]))
    .digest('hex');
}

interface Claim {
  key: string;
  operation: IdempotentOperation;
  fingerprint: string;
  /** The id of what this operation will write: the FUND entry or the transfer. */
  transactionId: string;
}

/**
 * Claims the key inside the operation's transaction, before anything else. The primary
 * key decides: a concurrent claim of the same key waits on ours until we commit, then
 * finds the key taken; if we roll back (insufficient funds, say), the key stays free, so
 * a key is spent only by an operation that moved money.
 */
export async function claimIdempotencyKey(tx: Tx, claim: Claim): Promise<void> {
  const inserted = await tx
    .insert(idempotencyKeys)
    .values({
      key: claim.key,
      operation: claim.operation,
      requestFingerprint: claim.fingerprint,
      transactionId: claim.transactionId,
    })
    .onConflictDoNothing({ target: idempotencyKeys.key })
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return;

  // A new statement sees the committed row that made ours do nothing.
  const [existing] = await tx
    .select()
    .from(idempotencyKeys)
    .where(eq(idempotencyKeys.key, claim.key));
  assert(existing, `idempotency key ${claim.key} conflicted but cannot be read`);
  throw new DuplicateIdempotencyKeyError(
    claim.key,
    existing.transactionId,
    existing.operation === claim.operation && existing.requestFingerprint === claim.fingerprint,
  );
}
