import { setTimeout as sleep } from 'node:timers/promises';

import { createDatabase } from '@wallet/db';

import { finish, throwawayPostgres } from './support';

/**
 * A query in flight when PostgreSQL shuts down fails, as it must. But the FATAL the server
 * sent (57P01 "terminating connection due to administrator command") stays attached to the
 * pool's connection: the first query on it after the reconnect, however much later, is
 * rejected with that old error (the API's 503 LEDGER_UNAVAILABLE long after the database
 * is back). postgres.js keeps its last ErrorResponse across the close.
 * Run: `cd tooling/bank && node --import tsx repro/stale-error-after-db-restart.ts`.
 */

const LATER_MS = 3_000;

/** Drizzle wraps the driver's error; the PostgreSQL code and message are on its cause. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  return `${String(cause?.code)} ${String(cause?.message)}`;
}

const database = await throwawayPostgres();
const pool = createDatabase(database.url, { poolMax: 1 });
await pool.db.execute('SELECT 1');
const inFlight = pool.db.execute('SELECT pg_sleep(2)').then(() => 'ok', describe);
await sleep(300);
await database.restart(200);
console.log(`the query in flight during the restart: ${await inFlight}`);
await sleep(LATER_MS);
const later = await pool.db.execute('SELECT 1').then(() => 'ok', describe);
console.log(`a query ${LATER_MS} ms after PostgreSQL was back: ${later}`);
await pool.close();
await database.close();
finish(later !== 'ok', 'a query long after the restart failed with the error of the old session');
