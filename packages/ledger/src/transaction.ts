import { reserveConnection, type ConnectionDb, type Db, type ReservedConnection } from '@wallet/db';

import { assert } from './assert';

import { LedgerBusyError, LedgerError, LedgerUnavailableError } from './errors';
import { RETRY_ATTEMPTS_MAX } from './limits';
import { isRetryable, isTimeout, isUnavailable } from './pg-errors';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Writes run in READ COMMITTED: their row locks, not the snapshot, make them safe. Reads
 * that must agree with themselves (a balance and its latest entries) run in one
 * read-only REPEATABLE READ snapshot.
 */
export type TransactionMode = 'write' | 'snapshot read';

const MODES = {
  write: { isolationLevel: 'read committed', accessMode: 'read write' },
  'snapshot read': { isolationLevel: 'repeatable read', accessMode: 'read only' },
} as const;

/**
 * What Drizzle's transaction sets (SET TRANSACTION …, after BEGIN). A write leaves its
 * access mode to the server's default (read write): SET TRANSACTION READ WRITE on a
 * standby fails as "feature not supported" (0A000), where the write itself fails as
 * read_only_sql_transaction (25006), which the ledger reports as unavailable.
 */
const DRIZZLE_MODES = {
  write: { isolationLevel: 'read committed' },
  'snapshot read': MODES['snapshot read'],
} as const;

/**
 * Runs `work` in one database transaction: all of it commits or none of it does.
 * Deadlocks cannot arise between ledger operations (they lock in one order), but a
 * deadlock or serialisation failure is retried a bounded number of times all the same.
 * What is left reaches the ledger's boundary, where translateDatabaseError names it.
 */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  mode: TransactionMode = 'write',
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, DRIZZLE_MODES[mode]);
    } catch (error) {
      if (!(error instanceof LedgerError) && isRetryable(error) && attempt < RETRY_ATTEMPTS_MAX) {
        continue;
      }
      throw error;
    }
  }
}

/** BEGIN with the mode in it: no SET TRANSACTION, no round trip of its own. */
function beginOf(mode: TransactionMode): string {
  const { isolationLevel, accessMode } = MODES[mode];
  return `BEGIN ISOLATION LEVEL ${isolationLevel} ${accessMode}`;
}

/**
 * Sends a transaction's last statements and its COMMIT together: `send` makes them and
 * returns their promises (an array, so `send` cannot be an async function whose
 * failure would surface only after the COMMIT was on its way). A statement made with
 * `.execute()` goes out as it is made; a lazy Drizzle query when `commit` subscribes to
 * it, in array order; the COMMIT after all of them. If `send` throws, no COMMIT is
 * sent. Resolves to the statements' results, or fails with the first failure.
 */
export type Commit = <const Statements extends readonly Promise<unknown>[]>(
  send: () => Statements,
) => Promise<ResultsOf<Statements>>;

type ResultsOf<Statements extends readonly Promise<unknown>[]> = {
  -readonly [K in keyof Statements]: Awaited<Statements[K]>;
};

/**
 * What a pipelined transaction's work gets: Drizzle on its connection, `run` for the
 * statements made once (`statementsOn`), and `commit` for its last statements.
 */
export type PipelinedWork<T> = (
  tx: ConnectionDb,
  commit: Commit,
  run: ReservedConnection['run'],
) => Promise<T>;

/**
 * Runs `work` in one transaction on one connection with as few round trips as the work
 * allows: BEGIN (with its mode) goes out with the first statements, and COMMIT with the
 * last ones (`commit`), so a transaction that sends its statements in two groups costs
 * two round trips, and a read of one group costs one. A statement that fails aborts the
 * transaction in PostgreSQL, whose answer to the COMMIT behind it is then ROLLBACK: all
 * of it commits or none of it does. `work` must call `commit` exactly once, last.
 * Deadlocks and serialisation failures are retried as in inTransaction.
 */
export async function inPipelinedTransaction<T>(
  db: Db,
  mode: TransactionMode,
  work: PipelinedWork<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await pipelinedOnce(db, mode, work);
    } catch (error) {
      if (!(error instanceof LedgerError) && isRetryable(error) && attempt < RETRY_ATTEMPTS_MAX) {
        continue;
      }
      throw error;
    }
  }
}

async function pipelinedOnce<T>(db: Db, mode: TransactionMode, work: PipelinedWork<T>): Promise<T> {
  const connection = await reserveConnection(db);
  // Until COMMIT is sent, a failure must roll back before the connection goes back. (An
  // object: `commit` sets it, and a plain variable would be narrowed to its first value.)
  const state = { commitSent: false };
  try {
    const begun = settled(connection.command(beginOf(mode)));
    const commit: Commit = async <const Statements extends readonly Promise<unknown>[]>(
      send: () => Statements,
    ) => {
      assert(!state.commitSent, 'a transaction commits once');
      const statements = send();
      // Subscribed now, in order: a Drizzle query that is still lazy is made here, so
      // every statement is on its way before the COMMIT is made.
      const outcomes = statements.map((statement) => settled(statement));
      state.commitSent = true;
      const committed = settled(connection.command('COMMIT'));
      const values: unknown[] = [];
      for (const outcome of await Promise.all(outcomes)) {
        if (outcome.status === 'rejected') throw outcome.reason;
        values.push(outcome.value);
      }
      const commitOutcome = await committed;
      if (commitOutcome.status === 'rejected') throw commitOutcome.reason;
      // ROLLBACK here would mean a statement failed and nobody saw it fail.
      assert(commitOutcome.value === 'COMMIT', `COMMIT answered ${commitOutcome.value}`);
      // Not Promise.all(statements): awaiting a lazy Drizzle query again would send it again.
      return values as ResultsOf<Statements>;
    };
    const result = await work(connection.db, commit, connection.run);
    const began = await begun;
    if (began.status === 'rejected') throw began.reason;
    assert(state.commitSent, 'the transaction was committed');
    return result;
  } catch (error) {
    if (!state.commitSent) await rollBack(connection);
    throw error;
  } finally {
    connection.release();
  }
}

/** A ROLLBACK that cannot fail the caller: on a broken connection there is nothing to undo. */
async function rollBack(connection: ReservedConnection): Promise<void> {
  try {
    await connection.command('ROLLBACK');
  } catch {
    // The connection is gone, and with it the transaction.
  }
}

/** Subscribes to `promise` at once (which makes a lazy Drizzle query), never rejecting. */
function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

/** What a database failure means to the caller; anything unexpected stays as it is (a 500). */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof LedgerError) return error;
  if (isRetryable(error) || isTimeout(error)) return new LedgerBusyError();
  if (isUnavailable(error)) return new LedgerUnavailableError();
  return error;
}
