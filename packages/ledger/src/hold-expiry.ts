import { schema, type Db } from '@wallet/db';
import { sql } from 'drizzle-orm';

import { assert } from './assert';
import { holdChanged } from './events/catalogue';
import { appendEvents } from './events/write';
import { HOLD_EXPIRY_BATCH_SIZE, HOLD_EXPIRY_BATCHES_MAX } from './limits';
import { currencyOf, toHold } from './rows';
import { inTransaction } from './transaction';

export interface HoldExpiryOptions {
  /** Holds per transaction (a short lock hold on their wallets). */
  batchSize?: number;
  /** Transactions per run, at most; the next run goes on where this one stopped. */
  batchesMax?: number;
}

/**
 * The release of expired holds (the sweep): every PENDING hold whose expires_at the
 * database's clock has reached becomes EXPIRED and its amount leaves its wallet's held,
 * in bounded batches, each its own transaction. Resolves to how many it released.
 * - Several processes may sweep at once: each takes only holds it can lock at once (FOR
 *   UPDATE SKIP LOCKED), so two sweeps share the work, and a hold a capture or void has
 *   locked is left to it (that write sees the expiry itself: capture-hold.ts).
 * - A hold is released once: the row lock, then the trigger holds_resolved_once.
 * - Nothing is lost if a process stops: the state is the database's, and the next
 *   sweep of any process finds what is still due.
 * - Locks in the batches' order: holds, then their wallets by id.
 * - Each released hold records its hold.expired event in the outbox, in the batch's
 *   transaction (an event iff its release commits), in one statement.
 */
export async function expireHolds(db: Db, options: HoldExpiryOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? HOLD_EXPIRY_BATCH_SIZE;
  const batchesMax = options.batchesMax ?? HOLD_EXPIRY_BATCHES_MAX;
  assert(Number.isInteger(batchSize) && batchSize >= 1, 'batch size');
  let released = 0;
  for (let batch = 0; batch < batchesMax; batch++) {
    const count = await inTransaction(db, async (tx) => {
      const due = await tx.execute<{ id: string }>(sql`
        SELECT id FROM holds
         WHERE status = 'PENDING' AND expires_at <= now()
         ORDER BY expires_at, id
         LIMIT ${batchSize}
         FOR UPDATE SKIP LOCKED`);
      if (due.length === 0) return 0;
      const ids = `{${due.map((row) => row.id).join(',')}}`;
      const locked = await tx.execute<{ id: string; sequence: string | null; currency: string }>(
        sql`SELECT w.id, w.last_entry_sequence AS sequence, w.currency FROM wallets w
         WHERE w.id IN (SELECT wallet_id FROM holds WHERE id = ANY(${ids}::uuid[]))
         ORDER BY w.id FOR UPDATE`,
      );
      const expired = await tx
        .update(schema.holds)
        .set({ status: 'EXPIRED', resolvedAt: sql`now()` })
        .where(sql`${schema.holds.id} = ANY(${ids}::uuid[])`)
        .returning();
      // Never behind the wallet's latest stamp: the next batch stamps its entries after
      // it (batch/store.ts LockedRows.stampedAt), and a stamp that went back could put
      // them before their predecessors (ledger_entries_created_in_chain_order).
      await tx.execute(sql`
        UPDATE wallets w SET held_minor = w.held_minor - released.amount,
               updated_at = greatest(now(), w.updated_at)
          FROM (SELECT wallet_id, sum(amount_minor) AS amount FROM holds
                 WHERE id = ANY(${ids}::uuid[]) GROUP BY wallet_id) released
         WHERE w.id = released.wallet_id`);
      const wallets = new Map(locked.map((row) => [row.id, row]));
      const events = expired
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((row) => {
          const wallet = wallets.get(row.walletId);
          assert(wallet, `the wallet of hold ${row.id} was not locked`);
          const hold = toHold(row, currencyOf(wallet));
          return holdChanged('hold.expired', hold, Number(wallet.sequence ?? 0));
        });
      await appendEvents(tx, events);
      return due.length;
    });
    released += count;
    if (count < batchSize) break;
  }
  return released;
}
