import type { Db } from '@wallet/db';

import { LedgerBusyError, LedgerError } from './errors';
import { RETRY_ATTEMPTS_MAX } from './limits';
import { isRetryable, isTimeout } from './pg-errors';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

type IsolationLevel = 'read committed' | 'repeatable read';

/**
 * Runs `work` in one database transaction: all of it commits or none of it does.
 * Deadlocks cannot arise between ledger operations (they lock in one order), but a
 * deadlock or serialisation failure is retried a bounded number of times all the same;
 * lock timeouts and exhausted retries become LedgerBusyError, with nothing written.
 */
export async function inTransaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  isolationLevel: IsolationLevel = 'read committed',
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, { isolationLevel });
    } catch (error) {
      if (error instanceof LedgerError) throw error;
      if (isRetryable(error) && attempt < RETRY_ATTEMPTS_MAX) continue;
      if (isRetryable(error) || isTimeout(error)) throw new LedgerBusyError();
      throw error;
    }
  }
}
