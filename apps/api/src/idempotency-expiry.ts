import type { Ledger } from '@wallet/ledger';

import { schedulePeriodic } from './periodic';

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
 * expireIdempotencyKeys). The timer is schedulePeriodic's.
 */
export function scheduleIdempotencyExpiry(
  ledger: Pick<Ledger, 'expireIdempotencyKeys'>,
  schedule: IdempotencyExpirySchedule,
): { stop(): Promise<void> } {
  const { retentionDays } = schedule;
  return schedulePeriodic(() => ledger.expireIdempotencyKeys({ retentionDays }), {
    firstRunMs: schedule.firstRunMs ?? IDEMPOTENCY_EXPIRY_FIRST_RUN_MS,
    intervalMs: schedule.intervalMs ?? IDEMPOTENCY_EXPIRY_INTERVAL_MS,
    onRun: (outcome) => {
      schedule.onRun('error' in outcome ? outcome : { deleted: outcome.value });
    },
  });
}
