import { schema } from '@wallet/db';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createRateLimitCounter } from '../src';
import { useTestAccess } from './support';

const { database } = await useTestAccess();
const WINDOW_MS = 60_000;

/** Two counters on one database: two API processes. */
const counters = [createRateLimitCounter(database.db), createRateLimitCounter(database.db)];
const counter = (index: number) => {
  const found = counters[index % counters.length];
  if (!found) throw new Error('no counter');
  return found;
};

async function sharedCount(key: string): Promise<number> {
  const [row] = await database.db
    .select()
    .from(schema.rateLimitCounters)
    .where(eq(schema.rateLimitCounters.key, key));
  return row?.count ?? 0;
}

describe('shared rate-limit counters', () => {
  it('small limits are exact across processes: 10 of 30 concurrent hits pass', async () => {
    const hits = await Promise.all(
      Array.from({ length: 30 }, (_, i) => counter(i).hit('exact', WINDOW_MS, 10)),
    );
    expect(hits.filter((hit) => hit.count <= 10)).toHaveLength(10);
    // Once a process has seen the limit reached, it refuses without asking again.
    expect(await sharedCount('exact')).toBeLessThan(30);
  });

  it('leases: never more than the limit in all, and little lost', async () => {
    const max = 6_400; // leases grow to 100 hits
    const attempts = 8_000;
    const allowed = (
      await Promise.all(
        Array.from({ length: attempts }, (_, i) => counter(i).hit('leased', WINDOW_MS, max)),
      )
    ).filter((hit) => hit.count <= max).length;
    expect(allowed).toBeLessThanOrEqual(max);
    // What a process leased and did not use is lost: at most one lease (100) each.
    expect(allowed).toBeGreaterThanOrEqual(max - 2 * 100);
    // Leases of 1, 2, 4 … 64, then 100 at a time; past the limit, refusals stay local.
    const counted = await sharedCount('leased');
    expect(counted).toBeGreaterThanOrEqual(max);
    expect(counted).toBeLessThanOrEqual(max + 2 * 100);
  });

  it('a window that ends starts the next from zero', async () => {
    const short = 200;
    const first = await counter(0).hit('windows', short, 1);
    expect(first.count).toBe(1);
    expect((await counter(1).hit('windows', short, 1)).count).toBe(2);
    await expect
      .poll(async () => (await counter(1).hit('windows', short, 1)).count, { timeout: 5_000 })
      .toBe(1);
  });
});
