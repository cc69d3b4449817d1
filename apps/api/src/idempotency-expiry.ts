import type { Ledger } from '@wallet/ledger';

/** How often the retention's clean-up runs in each API process. */
export const IDEMPOTENCY_EXPIRY_INTERVAL_MS = 60 * 60 * 1000;
/** The first run, soon after start (not at once: start-up has enough to do). */
export const IDEMPOTENCY_EXPIRY_FIRST_RUN_MS = 60 * 1000;

export interface IdempotencyExpirySchedule {
  retentionDays: number;
  intervalMs?: number;
  firstRunMs?: number;
  /** After each run: how many keys it deleted, or why it failed (the next run tries again). */
  onRun(outcome: { deleted: number } | { error: unknown }): void;
}

/**
 * Runs the ledger's idempotency-key clean-up on a timer, one run at a time. Every API
 * process runs its own: the clean-up's SKIP LOCKED lets two runs share the work instead
 * of waiting on each other, and a run never races a live claim (see
 * expireIdempotencyKeys). The timers do not keep the process alive; stop() waits for a
 * run in flight, so shutdown closes the pool after it.
 */
export function scheduleIdempotencyExpiry(
  ledger: Pick<Ledger, 'expireIdempotencyKeys'>,
  schedule: IdempotencyExpirySchedule,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = ledger
      .expireIdempotencyKeys({ retentionDays: schedule.retentionDays })
      .then(
        (deleted) => {
          schedule.onRun({ deleted });
        },
        (error: unknown) => {
          schedule.onRun({ error });
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, schedule.firstRunMs ?? IDEMPOTENCY_EXPIRY_FIRST_RUN_MS);
  const every = setInterval(run, schedule.intervalMs ?? IDEMPOTENCY_EXPIRY_INTERVAL_MS);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
