import type { RateLimitCounter } from '@wallet/access';

/**
 * @fastify/rate-limit's store interface over the shared counters of @wallet/access, so
 * every API process counts against the same limits. The plugin builds its store with
 * `new Store(options)`; the class is made here around the counter it should use.
 */
type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export interface RateLimitStore {
  incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): RateLimitStore;
}

export function sharedRateLimitStore(
  counter: RateLimitCounter,
): new (options: unknown) => RateLimitStore {
  class SharedStore implements RateLimitStore {
    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      counter.hit(key, timeWindow, max).then(
        (hit) => {
          callback(null, { current: hit.count, ttl: hit.ttlMs });
        },
        (error: unknown) => {
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }

    child(): RateLimitStore {
      return this;
    }
  }
  return SharedStore;
}
