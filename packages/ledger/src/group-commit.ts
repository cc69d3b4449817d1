import { settleWithin, type Db } from '@wallet/db';

import { applyWriteBatch } from './apply-batch';
import { assert } from './assert';
import { claimedKeyOf } from './batch/plan';
import { LedgerBusyError, LedgerError, LedgerUnavailableError } from './errors';
import { SILENT_OBSERVER, type BatchReport, type LedgerObserver } from './observer';
import { translateDatabaseError } from './transaction';
import type { WriteOutcome, WriteRequest, WriteResult, WriteResultOf } from './writes';

/**
 * Group commit: concurrent writes share one database transaction. A hot wallet's row
 * lock is then taken once and one commit (one WAL flush) is paid for a whole batch, so
 * its throughput is no longer one transfer per lock hold.
 *
 * No timer: a write that arrives while fewer than `concurrentBatchesMax` batches are in
 * flight starts a batch at once (a lone request is not slowed down); writes that arrive
 * while the database is busy wait for a batch to finish and then go together. A write
 * therefore waits at most for the batches ahead of it, and the batch size adapts to the
 * load by itself.
 */
export interface GroupCommitOptions {
  /** Requests in one transaction; bounds its lock hold and statement sizes. */
  batchSizeMax: number;
  /** Batches in flight at once, each on its own connection. */
  concurrentBatchesMax: number;
  /** Requests waiting for a batch; beyond it a write is refused as busy at once. */
  queuedMax: number;
  /**
   * The longest a batch may take before its writes are told the outcome is unknown
   * (LedgerUnavailableError) and its place freed. PostgreSQL's own timeouts end a stuck
   * statement or idle transaction well before; this bounds a client-side stall (a
   * connection that never answers), so one stuck batch cannot hold every later write.
   */
  batchDeadlineMs: number;
}

export const GROUP_COMMIT_DEFAULTS: GroupCommitOptions = {
  batchSizeMax: 256,
  concurrentBatchesMax: 2,
  queuedMax: 10_000,
  // Past the server's idle-in-transaction timeout (30 s), after which the transaction has
  // rolled back unless its COMMIT was already sent.
  batchDeadlineMs: 35_000,
};

interface Pending {
  request: WriteRequest;
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

export interface GroupCommitter {
  submit<Request extends WriteRequest>(request: Request): Promise<WriteResultOf<Request>>;
}

export function createGroupCommitter(
  db: Db,
  options: GroupCommitOptions = GROUP_COMMIT_DEFAULTS,
  observer: LedgerObserver = SILENT_OBSERVER,
): GroupCommitter {
  assert(options.batchSizeMax >= 1, 'batchSizeMax must be at least 1');
  assert(options.concurrentBatchesMax >= 1, 'concurrentBatchesMax must be at least 1');
  const queue: Pending[] = [];
  let inFlight = 0;
  let startScheduled = false;

  // Requests that arrive in the same turn of the event loop start one batch together.
  const scheduleStart = () => {
    if (startScheduled || inFlight >= options.concurrentBatchesMax || queue.length === 0) return;
    startScheduled = true;
    queueMicrotask(() => {
      startScheduled = false;
      while (inFlight < options.concurrentBatchesMax && queue.length > 0) {
        const batch = takeBatch(queue, options.batchSizeMax);
        inFlight++;
        void runBatch(db, batch, observer, options.batchDeadlineMs).finally(() => {
          inFlight--;
          scheduleStart();
        });
      }
    });
  };

  return {
    submit<Request extends WriteRequest>(request: Request): Promise<WriteResultOf<Request>> {
      if (queue.length >= options.queuedMax) return Promise.reject(new LedgerBusyError());
      return new Promise<WriteResult>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        scheduleStart();
      }) as Promise<WriteResultOf<Request>>;
    },
  };
}

/**
 * Takes up to `sizeMax` requests, oldest first. A request whose idempotency key (of the
 * same owner) is already in the batch stays queued for the next one, where it meets the committed
 * first use and gets its own answer (a retry or a different request).
 */
function takeBatch(queue: Pending[], sizeMax: number): Pending[] {
  const batch: Pending[] = [];
  const keys = new Set<string>();
  let index = 0;
  while (index < queue.length && batch.length < sizeMax) {
    const pending = queue[index];
    assert(pending, 'queue index in range');
    const key = claimedKeyOf(pending.request);
    if (key !== undefined && keys.has(key)) {
      index++;
      continue;
    }
    if (key !== undefined) keys.add(key);
    batch.push(pending);
    queue.splice(index, 1);
  }
  return batch;
}

async function runBatch(
  db: Db,
  batch: readonly Pending[],
  observer: LedgerObserver,
  deadlineMs: number,
) {
  const started = performance.now();
  // Past the deadline every write of the batch is answered as unavailable (its outcome
  // unknown to the client, who retries with its key); the transaction itself is bounded
  // by the server's timeouts.
  const { outcomes, result } = await settleWithin(
    applyResilient(
      db,
      batch.map((pending) => pending.request),
    ),
    deadlineMs,
    () => {
      const unknown = { ok: false, error: new LedgerUnavailableError() } as const;
      return { outcomes: batch.map(() => unknown), result: 'failed' as const };
    },
  );
  observer.batchApplied({ size: batch.length, durationMs: performance.now() - started, result });
  for (const [index, pending] of batch.entries()) {
    const outcome = outcomes[index];
    assert(outcome, 'one outcome per request');
    if (outcome.ok) pending.resolve(outcome.value);
    else pending.reject(outcome.error);
  }
}

/**
 * A batch that fails as a whole leaves nothing written (it was one transaction). When
 * the failure has a meaning for everyone (the database is busy or unreachable), every
 * request is told so. Anything else (a constraint that refused a row, which means a bug)
 * must fail only the request that caused it: the requests are then applied one by one.
 */
async function applyResilient(
  db: Db,
  requests: readonly WriteRequest[],
): Promise<{ outcomes: WriteOutcome[]; result: BatchReport['result'] }> {
  try {
    return { outcomes: await applyWriteBatch(db, requests), result: 'committed' };
  } catch (error) {
    const translated = translateDatabaseError(error);
    if (translated instanceof LedgerError || requests.length === 1) {
      return { outcomes: requests.map(() => ({ ok: false, error: translated })), result: 'failed' };
    }
    const outcomes = await Promise.all(
      requests.map(async (request) => {
        try {
          const [outcome] = await applyWriteBatch(db, [request]);
          assert(outcome, 'one outcome per request');
          return outcome;
        } catch (alone) {
          return { ok: false, error: translateDatabaseError(alone) } as const;
        }
      }),
    );
    return { outcomes, result: 'split' };
  }
}
