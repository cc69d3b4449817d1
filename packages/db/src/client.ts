import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

import * as schema from './schema';

/** Limits every connection carries, so no request can wait or hold locks forever. */
export const LOCK_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 15_000;
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
export const POOL_MAX_DEFAULT = 10;
/**
 * The longest wait before a pooled connection tries again to reach a server that went
 * away. postgres.js's default grows to 20 s, which leaves a pool asleep long after a
 * database restart has finished.
 */
export const RECONNECT_BACKOFF_MAX_S = 1;

/** Exponential from 10 ms, with jitter so a pool does not reconnect in lockstep; seconds. */
function reconnectBackoff(attempt: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** attempt / 100, RECONNECT_BACKOFF_MAX_S);
}

export interface DatabaseOptions {
  /** Connections in the pool; each holds at most one transaction at a time. */
  poolMax?: number;
  applicationName?: string;
}

export type Db = ReturnType<typeof drizzleOver>;

function drizzleOver(client: postgres.Sql) {
  return drizzle(client, { schema, casing: 'snake_case' });
}

export interface Database {
  db: Db;
  /** The server's address, for a connection of its own (LISTEN). */
  url: string;
  /** Closes the pool, letting queries in flight finish first. */
  close(): Promise<void>;
}

/** A pool over postgres.js. Opens no connection until the first query. */
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const client = postgres(url, {
    max: options.poolMax ?? POOL_MAX_DEFAULT,
    onnotice: () => undefined,
    backoff: reconnectBackoff,
    connection: {
      application_name: options.applicationName ?? 'wallet-ledger',
      lock_timeout: LOCK_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  });
  return {
    db: drizzleOver(client),
    url,
    close: () => client.end({ timeout: 5 }),
  };
}
