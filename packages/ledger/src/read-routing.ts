import type { Db } from '@wallet/db';
import { sql } from 'drizzle-orm';

import { assert } from './assert';
import { LedgerError } from './errors';
import type { LedgerObserver, ReadRoute } from './observer';
import { isUnavailable } from './pg-errors';

/**
 * Where a read runs. With a streaming replica, reads go there, but never to older data
 * than the caller could already know about: before a read, the primary's current WAL
 * position is taken (every write acknowledged so far, by any process, committed at or
 * before it), and the replica serves the read only once it has replayed that far. A
 * client therefore never sees a balance older than its own last write, whichever API
 * process it talks to. The wait is bounded; past it, or when the replica cannot be
 * reached, the read goes to the primary, and the observer is told which way it went.
 */
export interface ReadRouting {
  replica: Db;
  /** The longest wait for the replica to catch up before reading from the primary. */
  waitMs: number;
  /** Between two looks at the replica's replay position while waiting. */
  pollMs: number;
}

export type RoutedRead = <T>(read: (db: Db) => Promise<T>) => Promise<T>;

export function createReadRouter(
  primary: Db,
  routing: ReadRouting | undefined,
  observer: LedgerObserver,
): RoutedRead {
  if (!routing) {
    return (read) => {
      observer.readRouted('primary', 'no replica');
      return read(primary);
    };
  }
  return async <T>(read: (db: Db) => Promise<T>): Promise<T> => {
    const route = await chooseRoute(primary, routing);
    observer.readRouted(route.db === primary ? 'primary' : 'replica', route.reason);
    if (route.db === primary) return read(primary);
    try {
      return await read(routing.replica);
    } catch (error) {
      // An answer of the ledger (a missing wallet, say) is as true on the caught-up replica.
      if (error instanceof LedgerError || !isUnavailable(error)) throw error;
      observer.readRouted('primary', 'replica unavailable');
      return read(primary);
    }
  };
}

async function chooseRoute(
  primary: Db,
  routing: ReadRouting,
): Promise<{ db: Db; reason: ReadRoute['reason'] }> {
  const target = await primaryPosition(primary);
  const deadline = performance.now() + routing.waitMs;
  for (;;) {
    let replayed: Replayed;
    try {
      replayed = await hasReplayed(routing.replica, target);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return { db: primary, reason: 'replica unavailable' };
    }
    // A server that is not in recovery is no replica (a setting pointing at a primary).
    if (replayed === 'not a standby') return { db: primary, reason: 'replica unavailable' };
    if (replayed === 'yes') return { db: routing.replica, reason: 'replica caught up' };
    if (performance.now() >= deadline) return { db: primary, reason: 'replica lagging' };
    await new Promise((resolve) => setTimeout(resolve, routing.pollMs));
  }
}

const WAL_POSITION = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;

/**
 * The insert position, not the write position: with synchronous_commit off, a commit is
 * acknowledged once its record is inserted, before it is written, so only the insert
 * position is sure to be at or past every acknowledged commit.
 */
async function primaryPosition(primary: Db): Promise<string> {
  const [row] = await primary.execute<{ position: string }>(
    sql`SELECT pg_current_wal_insert_lsn()::text AS position`,
  );
  assert(row && WAL_POSITION.test(row.position), 'the primary gave no WAL position');
  return row.position;
}

type Replayed = 'yes' | 'no' | 'not a standby';

/**
 * Asked in its own statement, before the read's snapshot is taken: a snapshot taken
 * after this answer includes everything replayed up to the position.
 */
async function hasReplayed(replica: Db, position: string): Promise<Replayed> {
  // The position is PostgreSQL's own, checked above, and written in the text: a statement
  // without parameters takes one round trip (postgres.js describes parameters first).
  const [row] = await replica.execute<{ replayed: boolean | null }>(
    sql`SELECT pg_last_wal_replay_lsn() >= ${sql.raw(`'${position}'`)}::pg_lsn AS replayed`,
  );
  if (row?.replayed === null || row?.replayed === undefined) return 'not a standby';
  return row.replayed ? 'yes' : 'no';
}
