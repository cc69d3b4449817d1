import { setTimeout as sleep } from 'node:timers/promises';

import { createDatabase } from '@wallet/db';

import { finish, load, throwawayPostgres } from './support';

/**
 * After PostgreSQL restarts, the service's pool (createDatabase: postgres.js with its
 * default reconnect backoff, exponential over the pool's failed attempts and capped at
 * 20 s per connection) leaves connections asleep: a transaction begun while the database
 * was down is answered (with 57P03, the API's 503) only seconds after it is back, where
 * LEDGER_UNAVAILABLE should come at once, and the pool serves fewer queries meanwhile.
 * Until the nextWrite crash (api-crash-on-db-restart.ts) is fixed, this process may die
 * of that first. Run: `cd tooling/bank && node --import tsx repro/slow-recovery-after-db-restart.ts`.
 */

const LATE_MS = 5_000;

const database = await throwawayPostgres();
const pool = createDatabase(database.url, { poolMax: 10 });
let backAt = Number.POSITIVE_INFINITY;
let latest = { endedAfterMs: Number.NEGATIVE_INFINITY, tookMs: 0, outcome: '' };
const traffic = load(16, async () => {
  const startedAt = performance.now();
  let outcome = 'ok';
  try {
    await pool.db.transaction(async (tx) => {
      await tx.execute('SELECT 1');
      await tx.execute('SELECT pg_sleep(0.005)');
    });
  } catch (error) {
    outcome = String((error as { code?: unknown }).code ?? error);
    await sleep(20);
  }
  const endedAt = performance.now();
  // The worst: a transaction begun before the database was back, answered longest after.
  if (startedAt < backAt && endedAt - backAt > latest.endedAfterMs) {
    latest = { endedAfterMs: endedAt - backAt, tookMs: endedAt - startedAt, outcome };
  }
});
await sleep(500);
await database.restart(500);
backAt = performance.now();
await sleep(25_000);
await traffic.stop();
await pool.close();
await database.close();
console.log(
  `a transaction begun during the outage was answered ${Math.round(latest.endedAfterMs)} ms after PostgreSQL was back (it took ${Math.round(latest.tookMs)} ms: ${latest.outcome})`,
);
finish(
  latest.endedAfterMs > LATE_MS,
  `an answer came over ${LATE_MS} ms after the database was back`,
);
