import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
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
  /**
   * Called with each statement's text as it is handed to a connection, in the order the
   * connection sends them (postgres.js's debug hook): for tests that check what travels
   * together, and for tracing.
   */
  onStatement?: (connectionId: number, text: string) => void;
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
    ...(options.onStatement ? { debug: options.onStatement } : {}),
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
    close: () => {
      closedPools.add(client);
      return client.end({ timeout: 5 });
    },
  };
}

/** Pools whose close() has begun: see reserveConnection. */
const closedPools = new WeakSet<postgres.Sql>();

/** Drizzle over one reserved connection (reserveConnection). */
export type ConnectionDb = PostgresJsDatabase;

/** One connection of the pool, held until `release()`: see reserveConnection. */
export interface ReservedConnection {
  readonly db: ConnectionDb;
  /** A statement without parameters (BEGIN…, COMMIT, ROLLBACK); resolves to its command tag. */
  command(text: string): Promise<string>;
  /** A statement made once by `statementsOn` (its placeholders filled), sent on this connection. */
  run: <Result>(statement: Statement<Result>, values: Record<string, unknown>) => Promise<Result>;
  /** Gives the connection back to the pool, in whatever state it is in. */
  release(): void;
}

/**
 * One connection taken from the pool for a caller that sends several statements
 * pipelined and must know their order. Every statement, Drizzle's and `command`'s, is
 * handed to the connection the moment it is made (postgres.js's `execute()`), and
 * postgres.js sends a connection's statements in the order they are handed to it: so
 * statements made one after the other go out in that order, however many promise
 * steps Drizzle puts between making a query and awaiting it. That is what lets a
 * transaction send its BEGIN with its first statements and its COMMIT with its last.
 */
export async function reserveConnection(db: Db): Promise<ReservedConnection> {
  const pool = db.$client;
  const routes = routesOf(pool);
  // postgres.js refuses a query on a pool that was ended, but still lends a connection.
  if (closedPools.has(pool)) {
    throw Object.assign(new Error('the connection pool is closed'), { code: 'CONNECTION_ENDED' });
  }
  const reserved = await pool.reserve();
  const handingOver = new Proxy(reserved, {
    get(target, property, receiver) {
      // Drizzle reads the parsers and serializers from the pool's options (the same for
      // every connection); a reserved connection does not carry them.
      if (property === 'options') return pool.options;
      if (property !== 'unsafe') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<postgres.Sql['unsafe']>) => target.unsafe(...args).execute();
    },
  });
  let connectionDb: ConnectionDb | undefined;
  return {
    // Made on first use: the ledger's hot paths run statements made once (run) instead.
    get db() {
      connectionDb ??= drizzle(handingOver, { casing: 'snake_case' });
      return connectionDb;
    },
    command: async (text) => (await handingOver.unsafe(text)).command,
    run: (statement, values) => {
      // A prepared query hands its text to the client synchronously inside execute():
      // routed to this connection for exactly that call. (Were Drizzle ever to defer it,
      // the route would be gone and the statement refused, never sent elsewhere.)
      routes.route = handingOver;
      try {
        return statement.execute(values);
      } finally {
        routes.route = undefined;
      }
    },
    release: () => {
      reserved.release();
    },
  };
}

/** A Drizzle prepared query with `sql.placeholder` parameters: see statementsOn. */
export interface Statement<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

interface Routes {
  /** Drizzle over a client that sends each statement on `route`. */
  readonly db: ConnectionDb;
  route: postgres.Sql | undefined;
  /** What statementsOn built on this pool, by the function that built it. */
  readonly made: Map<unknown, unknown>;
}

const routesByPool = new WeakMap<postgres.Sql, Routes>();

function routesOf(pool: postgres.Sql): Routes {
  const known = routesByPool.get(pool);
  if (known) return known;
  const routes: Routes = {
    db: drizzle(
      new Proxy(pool, {
        get(target, property, receiver) {
          if (property !== 'unsafe') return Reflect.get(target, property, receiver) as unknown;
          return (...args: Parameters<postgres.Sql['unsafe']>) => {
            // Never the pool itself: a statement made here runs only through run().
            if (!routes.route) throw new Error('a prepared statement runs through run() only');
            return routes.route.unsafe(...args);
          };
        },
      }),
      { casing: 'snake_case' },
    ),
    route: undefined,
    made: new Map(),
  };
  routesByPool.set(pool, routes);
  return routes;
}

/**
 * Statements built once per pool instead of once per use: `make` receives a Drizzle
 * whose queries, prepared with `sql.placeholder` for their values, run on any reserved
 * connection through ReservedConnection.run. Building a query's text costs more than
 * sending it (Drizzle assembles it from its parts each time), and a transaction that
 * builds its statements while it holds row locks holds them that much longer. The first
 * call for a pool and a `make` builds them; later calls return the same ones.
 */
export function statementsOn<Statements>(
  db: Db,
  make: (statements: ConnectionDb) => Statements,
): Statements {
  const routes = routesOf(db.$client);
  const known = routes.made.get(make);
  if (known) return known as Statements;
  const made = make(routes.db);
  routes.made.set(make, made);
  return made;
}
