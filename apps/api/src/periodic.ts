/**
 * A task on a timer, one run at a time: the sweeps every API process runs (idempotency
 * keys past their retention, expired holds). A run that is still going when the timer
 * fires again is not doubled; a failed run is reported and the next one tries again. The
 * timers do not keep the process alive; stop() waits for a run in flight, so shutdown
 * closes the pool after it.
 */
export function schedulePeriodic<Result>(
  task: () => Promise<Result>,
  schedule: {
    firstRunMs: number;
    intervalMs: number;
    onRun(outcome: { value: Result } | { error: unknown }): void;
  },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = task()
      .then(
        (value) => {
          schedule.onRun({ value });
        },
        (error: unknown) => {
          schedule.onRun({ error });
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, schedule.firstRunMs);
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
