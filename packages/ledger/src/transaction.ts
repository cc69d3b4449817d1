import type { Db } from '@wallet/db';

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
      return await db.transaction(work, MODES[mode]);
    } catch (error) {
      if (!(error instanceof LedgerError) && isRetryable(error) && attempt < RETRY_ATTEMPTS_MAX) {
        continue;
      }
      throw error;
    }
  }
}

/** What a database failure means to the caller; anything unexpected stays as it is (a 500). */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof LedgerError) return error;
  if (isRetryable(error) || isTimeout(error)) return new LedgerBusyError();
  if (isUnavailable(error)) return new LedgerUnavailableError();
  return error;
}
