import type { Ledger } from '@wallet/ledger';

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
 * of a hold past its expiry is refused by the capture itself before any sweep ran. The
 * timers do not keep the process alive; stop() waits for a run in flight.
 */
export function scheduleHoldExpiry(
  ledger: Pick<Ledger, 'expireHolds'>,
  schedule: HoldExpirySchedule,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = ledger
      .expireHolds()
      .then(
        (released) => {
          schedule.onRun({ released });
        },
        (error: unknown) => {
          schedule.onRun({ error });
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, schedule.firstRunMs ?? HOLD_EXPIRY_FIRST_RUN_MS);
  const every = setInterval(run, schedule.intervalMs);
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
