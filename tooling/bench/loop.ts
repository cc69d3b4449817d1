/**
 * A closed-loop load driver for what autocannon cannot drive (tRPC calls, SQL
 * transactions): `concurrency` workers each run `operation` back to back until the
 * duration has passed. Latencies are measured here with performance.now(), and
 * percentiles are read from the sorted samples (nearest rank).
 */

export interface LoopResult {
  /** Completed operations (succeeded or failed) per second of the run. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

export async function runLoop(
  concurrency: number,
  durationMs: number,
  operation: () => Promise<unknown>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      try {
        await operation();
      } catch {
        failed++;
      }
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failed,
  };
}

/** Nearest-rank percentile of ascending `sorted`; 0 for no samples. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
