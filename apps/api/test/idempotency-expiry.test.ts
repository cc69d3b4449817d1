import { afterEach, describe, expect, it, vi } from 'vitest';

import { readApiEnv } from '../src/env';
import { scheduleIdempotencyExpiry } from '../src/idempotency-expiry';

/**
 * The schedule of the retention's clean-up. What a run deletes, and that it never races
 * a live claim, is the ledger's (packages/ledger/test/idempotency-owners.test.ts); here,
 * a stand-in for the ledger's one method shows when runs happen.
 */

/** A clean-up whose runs the test ends by hand, each resolved with a count. */
function controlledCleanUp() {
  const calls: { retentionDays: number; finish: (deleted: number | Error) => void }[] = [];
  return {
    calls,
    ledger: {
      expireIdempotencyKeys: ({ retentionDays }: { retentionDays: number }) =>
        new Promise<number>((resolve, reject) => {
          calls.push({
            retentionDays,
            finish: (outcome) => {
              if (outcome instanceof Error) reject(outcome);
              else resolve(outcome);
            },
          });
        }),
    },
  };
}

describe('scheduleIdempotencyExpiry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs with the retention, one run at a time, reports each, and stop() waits for a run', async () => {
    vi.useFakeTimers();
    const cleanUp = controlledCleanUp();
    const outcomes: unknown[] = [];
    const schedule = scheduleIdempotencyExpiry(cleanUp.ledger, {
      retentionDays: 7,
      firstRunMs: 1_000,
      intervalMs: 60_000,
      onRun: (outcome) => outcomes.push(outcome),
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(cleanUp.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(cleanUp.calls.map((call) => call.retentionDays)).toEqual([7]);
    // While the first run is in flight, the interval fires and starts nothing.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(cleanUp.calls).toHaveLength(1);
    cleanUp.calls[0]?.finish(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes).toEqual([{ deleted: 3 }]);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(cleanUp.calls).toHaveLength(2);
    let stopped = false;
    const stopping = schedule.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    const failure = new Error('database down');
    cleanUp.calls[1]?.finish(failure);
    await stopping;
    expect(outcomes).toEqual([{ deleted: 3 }, { error: failure }]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(cleanUp.calls).toHaveLength(2);
  });

  it('IDEMPOTENCY_RETENTION_DAYS: 30 days by default, at least one', () => {
    expect(readApiEnv({}).IDEMPOTENCY_RETENTION_DAYS).toBe(30);
    expect(readApiEnv({ IDEMPOTENCY_RETENTION_DAYS: '1' }).IDEMPOTENCY_RETENTION_DAYS).toBe(1);
    expect(() => readApiEnv({ IDEMPOTENCY_RETENTION_DAYS: '0' })).toThrow(
      /IDEMPOTENCY_RETENTION_DAYS/,
    );
  });
});
