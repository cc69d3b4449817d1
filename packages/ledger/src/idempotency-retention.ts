import { schema, type Db } from '@wallet/db';
import { sql } from 'drizzle-orm';

import { assert } from './assert';
import { IDEMPOTENCY_EXPIRY_BATCH_SIZE, IDEMPOTENCY_EXPIRY_BATCHES_MAX } from './limits';

const { idempotencyKeys } = schema;

export interface IdempotencyExpiryOptions {
  /** Keys older than this many days are forgotten: a retry after it is a new request. */
  retentionDays: number;
  /** Rows per DELETE; each is its own short transaction. */
  batchSize?: number;
  /** DELETEs per run, at most; the next run goes on where this one stopped. */
  batchesMax?: number;
}

/**
 * Deletes the idempotency keys older than the retention, in bounded batches, and
 * returns how many it deleted. It never races a live claim:
 * - a key being claimed for the first time is a row of an uncommitted transaction
 *   (invisible here) created at that transaction's start (never older than the retention);
 * - a claim that meets an existing key locks its row (ON CONFLICT DO UPDATE … WHERE
 *   false: apply-batch.ts, wallets.ts) until its transaction ends, and this DELETE takes
 *   only rows it can lock at once (FOR UPDATE SKIP LOCKED): a key whose holder is being
 *   read for a 409 is skipped, and deleted by a later run;
 * - had this DELETE locked the row first, the claim waits for it, then finds no row and
 *   claims the key afresh: an expired key is a new one.
 */
export async function expireIdempotencyKeys(
  db: Db,
  options: IdempotencyExpiryOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? IDEMPOTENCY_EXPIRY_BATCH_SIZE;
  const batchesMax = options.batchesMax ?? IDEMPOTENCY_EXPIRY_BATCHES_MAX;
  assert(Number.isInteger(options.retentionDays) && options.retentionDays >= 1, 'retention days');
  assert(Number.isInteger(batchSize) && batchSize >= 1, 'batch size');
  let deleted = 0;
  for (let batch = 0; batch < batchesMax; batch++) {
    const rows = await db.execute<{ key: string }>(sql`
      DELETE FROM ${idempotencyKeys} WHERE ctid IN (
        SELECT ctid FROM ${idempotencyKeys}
        WHERE ${idempotencyKeys.createdAt} < now() - make_interval(days => ${options.retentionDays})
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING ${idempotencyKeys.key}`);
    deleted += rows.length;
    if (rows.length < batchSize) break;
  }
  return deleted;
}
