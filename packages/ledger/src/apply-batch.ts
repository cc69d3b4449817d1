import type { Db } from '@wallet/db';

import { assert } from './assert';
import {
  assertDistinctKeys,
  holdLockOrderOf,
  lockOrderOf,
  planBatch,
  reversalOrderOf,
  untakenKeysOf,
  type BatchWrites,
} from './batch/plan';
import { PostgresLedgerStore } from './batch/postgres-store';
import type { LedgerStore } from './batch/store';
import { inPipelinedTransaction } from './transaction';
import type { WriteOutcome, WriteRequest } from './writes';

/**
 * Applies a batch of fundings, withdrawals, transfers, reversals and hold writes in ONE database transaction: one lock
 * acquisition per wallet and one commit for the whole batch, whatever its size. Each
 * request still gets its own outcome: a request that would overdraw, names a missing
 * wallet or reuses a key is refused alone, and its key is left free.
 *
 * Two round trips, whatever the batch size:
 *  1. BEGIN, claim the idempotency keys (sorted) and lock every wallet and the external
 *     accounts the fundings and withdrawals need (one statement, sorted by id), then read
 *     what is reversed of the originals the reversals name (locking their rows), pipelined;
 *  2. (only when a key was taken, a round trip of its own) read what took it;
 *  3. record the audit rows, release the keys of refused requests, append the entries,
 *     update the wallets, append the events (the outbox) and COMMIT, pipelined.
 * The rules (batch/plan.ts, movements/*.ts) run in memory on the locked rows; this file
 * only orders the store's statements around them.
 */
export async function applyWriteBatch(
  db: Db,
  requests: readonly WriteRequest[],
): Promise<WriteOutcome[]> {
  assert(requests.length > 0, 'a batch holds at least one request');
  assertDistinctKeys(requests);
  const { claims, walletIds, externalFor } = lockOrderOf(requests);
  const { holdIds, captureHoldIds } = holdLockOrderOf(requests);
  const originalIds = reversalOrderOf(requests);
  return inPipelinedTransaction(db, 'write', async (_tx, commit, run) => {
    const store = new PostgresLedgerStore(db, run);
    // Sent together behind the BEGIN; PostgreSQL runs them in this order: keys, holds
    // (the captures' and voids'), wallets (theirs among them), then the reversed
    // originals (a batch without a hold or a reversal sends no lockHolds, readReversals).
    const claiming = store.claimKeys(claims);
    const lockingHolds = store.lockHolds(holdIds);
    const locking = store.lockWallets(walletIds, externalFor, { holdIds, captureHoldIds });
    const reading = store.readReversals(originalIds);
    const [claimedKeys, holds, { locked, now, stampedAt }, reversedMinor] = await Promise.all([
      claiming,
      lockingHolds,
      locking,
      reading,
    ]);
    const takenBy = await store.readTakenKeys(untakenKeysOf(requests, claimedKeys));
    const writes = planBatch(requests, {
      locked,
      now,
      claimedKeys,
      takenBy,
      holds,
      reversedMinor,
    });
    await commit(() => sendWrites(store, writes, stampedAt));
    return writes.outcomes;
  });
}

/**
 * The plan's statements, made (and so sent) at once: the audit rows of the successes,
 * the release of the keys of refused requests, every entry in one statement, every
 * changed wallet in one statement and every event in one statement. Not async: the caller sends COMMIT right behind
 * them, so a statement that cannot be made must throw before that. Entries go first: a
 * wallet's balance must match an existing entry (wallets_balance_matches_latest_entry_fk),
 * and an entry's predecessor may be in the same statement (constraints are checked when
 * the statement ends).
 */
function sendWrites(
  store: LedgerStore,
  writes: BatchWrites,
  stampedAt: string,
): Promise<unknown>[] {
  const sent: Promise<unknown>[] = [];
  if (writes.audits.length > 0) sent.push(store.appendAudits(writes.audits));
  if (writes.releasedKeys.length > 0) sent.push(store.releaseKeys(writes.releasedKeys));
  // A hold before the entries of its capture (ledger_entries_hold_fk).
  if (writes.placedHolds.length > 0) sent.push(store.insertHolds(writes.placedHolds));
  // A capture's entries are stamped like any other (stampedAt), so they follow their
  // wallets' chains in time (ledger_entries_created_in_chain_order).
  if (writes.entries.length > 0) sent.push(store.appendEntries(writes.entries, stampedAt));
  if (writes.resolvedHolds.length > 0) sent.push(store.resolveHolds(writes.resolvedHolds));
  // A hold placed or released changes its wallet's held with no entry.
  if (writes.balances.length > 0) sent.push(store.updateBalances(writes.balances, stampedAt));
  // The outbox, in the same pipeline and transaction: an event iff its movement commits.
  if (writes.events.length > 0) sent.push(store.appendEvents(writes.events, stampedAt));
  return sent;
}
