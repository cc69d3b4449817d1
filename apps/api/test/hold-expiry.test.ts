import { afterEach, describe, expect, it, vi } from 'vitest';

import { readApiEnv } from '../src/env';
import { scheduleHoldExpiry } from '../src/hold-expiry';

/**
 * The schedule of the sweep that releases expired holds. What a sweep releases, exactly
 * once and by several processes at once, is the ledger's
 * (packages/ledger/test/hold-expiry.test.ts); here a stand-in shows when runs happen.
 */
function controlledSweep() {
  const calls: ((released: number | Error) => void)[] = [];
  return {
    calls,
    ledger: {
      expireHolds: () =>
        new Promise<number>((resolve, reject) => {
          calls.push((outcome) => {
            if (outcome instanceof Error) reject(outcome);
            else resolve(outcome);
          });
        }),
    },
  };
}

describe('scheduleHoldExpiry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps soon after start, then on its interval, one run at a time; stop() waits', async () => {
    vi.useFakeTimers();
    const sweep = controlledSweep();
    const outcomes: unknown[] = [];
    const schedule = scheduleHoldExpiry(sweep.ledger, {
      intervalMs: 5_000,
      firstRunMs: 1_000,
      onRun: (outcome) => outcomes.push(outcome),
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(sweep.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sweep.calls).toHaveLength(1);
    // The interval fires while the first run is in flight: nothing more starts.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sweep.calls).toHaveLength(1);
    sweep.calls[0]?.(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes).toEqual([{ released: 2 }]);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(sweep.calls).toHaveLength(2);
    const failure = new Error('database restarting');
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    sweep.calls[1]?.(failure);
    await stopping;
    expect(outcomes).toEqual([{ released: 2 }, { error: failure }]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sweep.calls).toHaveLength(2);
  });

  it('reads its interval from HOLD_EXPIRY_INTERVAL_MS, 5 s unless set', () => {
    expect(readApiEnv({}).HOLD_EXPIRY_INTERVAL_MS).toBe(5_000);
    expect(readApiEnv({ HOLD_EXPIRY_INTERVAL_MS: '250' }).HOLD_EXPIRY_INTERVAL_MS).toBe(250);
    expect(() => readApiEnv({ HOLD_EXPIRY_INTERVAL_MS: '10' })).toThrow();
  });
});
