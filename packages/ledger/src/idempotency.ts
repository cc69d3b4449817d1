import { createHash } from 'node:crypto';

import type { IdempotentOperation } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import {
  DuplicateHoldKeyError,
  DuplicateIdempotencyKeyError,
  DuplicateWalletKeyError,
} from './errors';

export type { IdempotentOperation } from '@wallet/contract';

/**
 * The owner of the keys of a write without a context (a direct call of the ledger: the
 * CLI, tests). A context names its owner, or its actor is the owner.
 */
export const DIRECT_CALL_OWNER = 'system';

/** Whose idempotency keys a write's key is among (see WriteContext.owner). */
export function ownerOf(context: WriteContext | undefined): string {
  return context?.owner ?? context?.actor ?? DIRECT_CALL_OWNER;
}

/**
 * An owner's key as one string, for maps and sets: neither an owner (`key:<uuid>`,
 * `user:<uuid>`, `system`…) nor a key (printable ASCII without spaces) holds a space,
 * so the pair is unambiguous.
 */
export function scopedKey(owner: string, key: string): string {
  return `${owner} ${key}`;
}

/** What a write claims when it carries an idempotency key. */
export interface IdempotencyClaim {
  owner: string;
  key: string;
  /** SHA-256 of the parsed request, to tell a retry from a different request. */
  fingerprint: string;
}

/**
 * What a write claims when it carries an idempotency key. The key is claimed inside the
 * write's transaction (apply-batch.ts): the primary key (owner, key) of idempotency_keys
 * decides, so a concurrent claim of the same owner's key waits until the first commits
 * and then finds it taken; a refused write releases its claim, so a key is spent only by
 * a write that did something. Another owner's equal key is another row: it never waits,
 * and nothing of it is ever read.
 */
export function idempotencyClaim(
  key: string | undefined,
  context: WriteContext | undefined,
  operation: IdempotentOperation,
  fields: readonly unknown[],
): IdempotencyClaim | null {
  if (key === undefined) return null;
  return { owner: ownerOf(context), key, fingerprint: fingerprintOf(operation, fields) };
}

/** SHA-256 of the parsed request, in a fixed field order, to tell a retry from a new request. */
export function fingerprintOf(operation: IdempotentOperation, fields: readonly unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, ...fields]))
    .digest('hex');
}

/**
 * A write's metadata as a fingerprint field: its pairs sorted by key, so that the same
 * metadata sent with its keys in another order is the same request; none when it is empty,
 * so that a request without metadata keeps the fingerprint it had before metadata existed
 * (a retry across the upgrade is still a retry). A retry with other metadata is a
 * different request (409, not the first write's answer).
 */
export function metadataFields(metadata: Readonly<Record<string, string>>): unknown[] {
  const pairs = Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.length === 0 ? [] : [{ metadata: pairs }];
}

/** What holds a key: the operation that used it, its fingerprint and what it made. */
export interface KeyUse {
  operation: string;
  requestFingerprint: string;
  transactionId: string;
}

/**
 * The refusal of a request whose key `use` already holds: a retry when the operation and
 * the fingerprint are the same. It names what the key made, as a wallet or a transaction.
 */
export function duplicateKeyError(
  key: string,
  use: KeyUse,
  request: { operation: IdempotentOperation; fingerprint: string },
): DuplicateIdempotencyKeyError | DuplicateWalletKeyError | DuplicateHoldKeyError {
  const sameRequest =
    use.operation === request.operation && use.requestFingerprint === request.fingerprint;
  if (use.operation === 'CREATE_WALLET') {
    return new DuplicateWalletKeyError(key, use.transactionId, sameRequest);
  }
  // A hold's placement and void record the hold; its capture, the transaction it made.
  if (use.operation === 'PLACE_HOLD' || use.operation === 'VOID_HOLD') {
    return new DuplicateHoldKeyError(key, use.transactionId, sameRequest);
  }
  return new DuplicateIdempotencyKeyError(key, use.transactionId, sameRequest);
}
