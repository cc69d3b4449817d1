import type { Ledger } from '@wallet/ledger';

import { schedulePeriodic } from './periodic';

/** The first sweep, soon after start: holds that expired while no process ran are released. */
export const HOLD_EXPIRY_FIRST_RUN_MS = 1_000;

export interface HoldExpirySchedule {
  /** Between two sweeps (HOLD_EXPIRY_INTERVAL_MS). */
  intervalMs: number;
  firstRunMs?: number;
  /** After each run: how many holds it released, or why it failed (the next run tries again). */
  onRun(outcome: { released: number } | { error: unknown }): void;
}

/**
 * Runs the ledger's release of expired holds (expireHolds) on a timer, one run at a
 * time. Every API process runs its own: the sweep's SKIP LOCKED lets two share the work,
 * and a hold is released once (its row lock, then the holds_resolved_once trigger).
 * Nothing is lost across a restart: what is due is read from the database, and a capture
 * of a hold past its expiry is refused by the capture itself before any sweep ran.
 */
export function scheduleHoldExpiry(
  ledger: Pick<Ledger, 'expireHolds'>,
  schedule: HoldExpirySchedule,
): { stop(): Promise<void> } {
  return schedulePeriodic(() => ledger.expireHolds(), {
    firstRunMs: schedule.firstRunMs ?? HOLD_EXPIRY_FIRST_RUN_MS,
    intervalMs: schedule.intervalMs,
    onRun: (outcome) => {
      schedule.onRun('error' in outcome ? outcome : { released: outcome.value });
    },
  });
}
