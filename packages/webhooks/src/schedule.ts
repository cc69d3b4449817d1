/**
 * When a failed delivery is tried again: exponential backoff with jitter, for at least
 * the retry window (24 h by default), then the delivery is failed for good.
 */
export interface RetrySchedule {
  /** The first retry's delay, before jitter. */
  firstDelayMs: number;
  /** No delay grows past this (before jitter). */
  delayMaxMs: number;
  /** Retries go on until this long after the delivery was made; the last may end past it. */
  windowMs: number;
}

export const RETRY_SCHEDULE_DEFAULTS: RetrySchedule = {
  firstDelayMs: 10_000,
  delayMaxMs: 3 * 60 * 60 * 1000,
  windowMs: 24 * 60 * 60 * 1000,
};

/**
 * The delay after the `attempts`-th failed attempt: firstDelay · 2^(attempts-1), capped,
 * then "equal jitter" (between half and all of it), so that the deliveries an outage
 * failed together do not all come back at the same instant, while none comes back much
 * sooner than the schedule says.
 */
export function retryDelayMs(
  schedule: RetrySchedule,
  attempts: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(schedule.firstDelayMs * 2 ** exponent, schedule.delayMaxMs);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Whether a delivery made at `createdAt` is still within its retry window at `now`. */
export function withinRetryWindow(schedule: RetrySchedule, createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() < schedule.windowMs;
}
