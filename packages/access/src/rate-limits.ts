import { schema, settleWithin, type Db } from '@wallet/db';
import { sql } from 'drizzle-orm';

/**
 * Rate-limit counters shared by every API process, in PostgreSQL (an UNLOGGED table:
 * no WAL flush per increment). Fixed windows per key: the first hit of a window starts
 * it; a hit after it ends starts the next.
 *
 * A process takes a key's hits from the shared counter in leases: the first hit of a
 * window takes one, each later lease twice the last, up to a 64th of the limit (at most
 * 256). Hits within a lease are counted in memory; the database sees one increment per
 * lease, and increments that arrive while one statement is in flight go together in the
 * next (one round trip for many). A lease is taken from the shared count before it is
 * spent, so all processes together never let more than the limit through; what a process
 * leased and did not use by the window's end is lost (at most one lease per process and
 * key). Small limits (64 or fewer) lease one hit at a time: exact.
 */
export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Until the window ends, in milliseconds. */
  ttlMs: number;
}

export interface RateLimitCounter {
  /** Counts one hit of `key` against `max` per window of `windowMs`. */
  hit(key: string, windowMs: number, max: number): Promise<RateLimitHit>;
  /** Stops the periodic clean-up. */
  close(): void;
}

const { rateLimitCounters } = schema;

/** Distinct keys in one statement; more wait for the next. */
const KEYS_PER_STATEMENT_MAX = 1_000;
/** Rows of windows long gone are deleted this often, at most this many at a time. */
const CLEAN_UP_INTERVAL_MS = 60_000;
const CLEAN_UP_ROWS_MAX = 10_000;
const RATE_LIMIT_KEY_LENGTH_MAX = 300;
/** Leases kept in memory; past it they are forgotten (each key then takes a new one). */
const KEYS_IN_MEMORY_MAX = 100_000;
/**
 * Every request waits on its counter, so a flush that never settles (a connection that
 * stopped answering) must not hold them all: past this, its hits fail (the API then lets
 * the request through rather than answer 500) and the next flush starts.
 */
const FLUSH_DEADLINE_MS = 5_000;

/** The most hits one lease may take, and the share of the limit it may be. */
const LEASE_HITS_MAX = 256;
const LEASE_SHARE_OF_LIMIT = 64;

interface Pending {
  key: string;
  windowMs: number;
  /** Hits this increment adds (a lease). */
  amount: number;
  resolve(hit: RateLimitHit): void;
  reject(error: unknown): void;
}

interface Lease {
  /** performance.now() at which the window ends. */
  windowEndsAt: number;
  /** The shared count before this lease. */
  before: number;
  /** Hits this lease may let through (fewer than asked when the limit was near). */
  granted: number;
  used: number;
  /** Hits asked for: the next lease asks twice as many. */
  size: number;
}

export function createRateLimitCounter(db: Db): RateLimitCounter {
  const statement = prepareHit(db);
  let queue: Pending[] = [];
  let flushing = false;

  const flush = async () => {
    flushing = true;
    try {
      while (queue.length > 0) {
        const { batch, rest } = takeBatch(queue);
        queue = rest;
        await withDeadline(incrementAll(statement, batch), batch);
      }
    } finally {
      flushing = false;
    }
  };

  const cleanUp = setInterval(() => {
    void db
      .execute(
        sql`DELETE FROM ${rateLimitCounters} WHERE ctid IN (
          SELECT ctid FROM ${rateLimitCounters}
          WHERE ${rateLimitCounters.windowStartedAt}
            + ${rateLimitCounters.windowMs} * interval '1 millisecond' < now()
          LIMIT ${CLEAN_UP_ROWS_MAX})`,
      )
      .catch(() => undefined); // the next round tries again
  }, CLEAN_UP_INTERVAL_MS);
  cleanUp.unref();

  const increment = (key: string, windowMs: number, amount: number) =>
    new Promise<RateLimitHit>((resolve, reject) => {
      queue.push({ key, windowMs, amount, resolve, reject });
      if (!flushing) queueMicrotask(() => void (flushing ? undefined : flush()));
    });

  const leases = new Map<string, Lease>();
  const leasing = new Map<string, Promise<void>>();
  const takeLease = async (key: string, windowMs: number, size: number, max: number) => {
    const { count, ttlMs } = await increment(key, windowMs, size);
    const before = count - size;
    if (leases.size >= KEYS_IN_MEMORY_MAX) leases.clear();
    leases.set(key, {
      windowEndsAt: performance.now() + ttlMs,
      before,
      granted: Math.max(0, Math.min(size, max - before)),
      used: 0,
      size,
    });
  };

  return {
    hit: async (key, windowMs, max) => {
      if (key.length === 0 || key.length > RATE_LIMIT_KEY_LENGTH_MAX) {
        throw new Error(`rate-limit key of ${key.length} characters`);
      }
      for (;;) {
        const lease = leases.get(key);
        const now = performance.now();
        const live = lease !== undefined && now < lease.windowEndsAt;
        if (live && lease.used < lease.granted) {
          lease.used++;
          return { count: lease.before + lease.used, ttlMs: lease.windowEndsAt - now };
        }
        // The shared count has reached the limit: nothing more until the window ends.
        if (live && lease.before + lease.granted >= max) {
          return { count: max + 1, ttlMs: lease.windowEndsAt - now };
        }
        let pending = leasing.get(key);
        if (!pending) {
          const cap = Math.max(1, Math.min(LEASE_HITS_MAX, Math.floor(max / LEASE_SHARE_OF_LIMIT)));
          const size = live ? Math.min(lease.size * 2, cap) : 1;
          pending = takeLease(key, windowMs, size, max).finally(() => leasing.delete(key));
          leasing.set(key, pending);
        }
        await pending;
      }
    },
    close: () => {
      clearInterval(cleanUp);
    },
  };
}

function withDeadline(flushing: Promise<void>, batch: readonly Pending[]): Promise<void> {
  return settleWithin(flushing, FLUSH_DEADLINE_MS, () => {
    const error = new Error(`rate-limit counters did not answer in ${FLUSH_DEADLINE_MS} ms`);
    for (const pending of batch) pending.reject(error);
  });
}

function takeBatch(queue: Pending[]): { batch: Pending[]; rest: Pending[] } {
  const keys = new Set<string>();
  const batch: Pending[] = [];
  const rest: Pending[] = [];
  for (const pending of queue) {
    if (keys.has(pending.key) || keys.size < KEYS_PER_STATEMENT_MAX) {
      keys.add(pending.key);
      batch.push(pending);
    } else {
      rest.push(pending);
    }
  }
  return { batch, rest };
}

/**
 * The upsert, built and prepared once per counter: each flush only binds its rows (as
 * one jsonb parameter), so no query is built on the hot path.
 */
function prepareHit(db: Db) {
  const { key: keyColumn, windowStartedAt, windowMs, count } = rateLimitCounters;
  const windowOver = sql`${windowStartedAt} + ${windowMs} * interval '1 millisecond' <= now()`;
  return db
    .insert(rateLimitCounters)
    .select(
      // The table's columns in order: key, window_started_at, window_ms, count.
      sql`SELECT hit.key, now(), hit.window_ms, hit.hits
        FROM jsonb_to_recordset(${sql.placeholder('rows')}::jsonb)
          AS hit(key text, hits integer, window_ms integer)
        ORDER BY hit.key`,
    )
    .onConflictDoUpdate({
      target: keyColumn,
      set: {
        windowStartedAt: sql`CASE WHEN ${windowOver} THEN now() ELSE ${windowStartedAt} END`,
        windowMs: sql`excluded.window_ms`,
        count: sql`CASE WHEN ${windowOver} THEN excluded.count ELSE ${count} + excluded.count END`,
      },
    })
    .returning({
      key: keyColumn,
      count,
      ttlMs: sql<number>`greatest(0, ceil(extract(epoch FROM ${windowStartedAt}
        + ${windowMs} * interval '1 millisecond' - now()) * 1000))::integer`,
    })
    .prepare('rate_limit_hit');
}

type HitStatement = ReturnType<typeof prepareHit>;

/**
 * One upsert for every key of the batch; a key hit n times in it moves by n, and its
 * hits get the counts in between, in arrival order. A window that has ended restarts.
 */
async function incrementAll(statement: HitStatement, batch: readonly Pending[]): Promise<void> {
  const byKey = new Map<string, Pending[]>();
  for (const pending of batch) byKey.set(pending.key, [...(byKey.get(pending.key) ?? []), pending]);
  const rows = [...byKey].map(([key, hits]) => ({
    key,
    hits: hits.reduce((sum, pending) => sum + pending.amount, 0),
    window_ms: hits[0]?.windowMs ?? 1,
  }));
  try {
    const counted = await statement.execute({ rows: JSON.stringify(rows) });
    const results = new Map(counted.map((row) => [row.key, row]));
    for (const [key, hits] of byKey) {
      const result = results.get(key);
      // The increments of one key share the statement: each gets the count after its own.
      let after = (result?.count ?? 0) - hits.reduce((sum, pending) => sum + pending.amount, 0);
      for (const pending of hits) {
        after += pending.amount;
        if (result) pending.resolve({ count: after, ttlMs: result.ttlMs });
        else pending.reject(new Error(`rate-limit counter ${key} not returned`));
      }
    }
  } catch (error) {
    for (const pending of batch) pending.reject(error);
  }
}
