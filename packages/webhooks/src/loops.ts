import type PgBoss from 'pg-boss';

import { runAttempt, type AttemptDeps } from './attempt';
import { dispatchOnce, type DispatchDeps } from './dispatcher';
import { ATTEMPT_QUEUE, type AttemptJobData } from './queue';

export type ErrorReporter = (error: unknown, where: string) => void;

/** A sleep that `wake()` cuts short; a wake while awake is kept for the next sleep. */
function wakeableSleep() {
  let woken = false;
  let cut: (() => void) | undefined;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          cut = undefined;
          resolve();
        }
        cut = done;
      }),
    wake: () => {
      if (cut) cut();
      else woken = true;
    },
  };
}

export interface Loop {
  /** Look now instead of at the next poll. */
  wake: () => void;
  /** Ends the loop; resolves once what it had started has ended. */
  stop: () => Promise<void>;
}

export interface WorkerOptions {
  /** Attempts in flight at once in this process. */
  concurrency: number;
  pollIntervalMs: number;
  onError: ErrorReporter;
}

/**
 * Takes attempt jobs from pg-boss as slots free up and runs each on its own, so one slow
 * endpoint holds one slot (the per-endpoint cap bounds how many), never the others'.
 * pg-boss's fetch locks the jobs it hands out (FOR UPDATE SKIP LOCKED) and marks them
 * active: of several API processes, one gets each job.
 */
export function startWorker(deps: AttemptDeps, options: WorkerOptions): Loop {
  const { boss } = deps;
  const timer = wakeableSleep();
  const active = new Set<Promise<void>>();
  let running = true;
  const handle = async (job: PgBoss.Job<AttemptJobData>) => {
    try {
      const result = await runAttempt(deps, job.id, job.data.deliveryId);
      // Held by another worker's attempt: this job comes back after pg-boss's retry delay.
      if (result === 'leased') await boss.fail(ATTEMPT_QUEUE, job.id);
      else await boss.complete(ATTEMPT_QUEUE, job.id);
    } catch (error) {
      options.onError(error, 'webhook attempt');
      await boss.fail(ATTEMPT_QUEUE, job.id).catch((failed: unknown) => {
        options.onError(failed, 'webhook attempt: failing its job');
      });
    }
  };
  const loop = async () => {
    while (running) {
      const free = options.concurrency - active.size;
      if (free <= 0) {
        await timer.sleep(options.pollIntervalMs);
        continue;
      }
      let jobs: PgBoss.Job<AttemptJobData>[] = [];
      try {
        jobs = await boss.fetch<AttemptJobData>(ATTEMPT_QUEUE, { batchSize: free });
      } catch (error) {
        options.onError(error, 'webhook worker: fetching jobs');
      }
      for (const job of jobs) {
        const running = handle(job).finally(() => {
          active.delete(running);
          timer.wake();
        });
        active.add(running);
      }
      if (jobs.length < free) await timer.sleep(options.pollIntervalMs);
    }
  };
  const looping = loop();
  return {
    wake: timer.wake,
    stop: async () => {
      running = false;
      timer.wake();
      await looping;
      await Promise.all(active);
    },
  };
}

export interface DispatcherOptions {
  pollIntervalMs: number;
  onError: ErrorReporter;
  /** Called when a round made deliveries: the worker of this process looks at once. */
  onDispatched: () => void;
}

export function startDispatcher(deps: DispatchDeps, options: DispatcherOptions): Loop {
  const timer = wakeableSleep();
  let running = true;
  const loop = async () => {
    while (running) {
      let hasMore = false;
      try {
        const round = await dispatchOnce(deps);
        hasMore = round.hasMore;
        if (round.read > 0) options.onDispatched();
      } catch (error) {
        options.onError(error, 'webhook dispatcher');
      }
      // Waits only when it has caught up: a backlog is read page after page (a page can
      // hold fewer events than batchSize asks for, so its size says nothing of what is left).
      if (!hasMore) await timer.sleep(options.pollIntervalMs);
    }
  };
  const looping = loop();
  return {
    wake: timer.wake,
    stop: async () => {
      running = false;
      timer.wake();
      await looping;
    },
  };
}
