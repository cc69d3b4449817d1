import { reserveConnection, type Db } from '@wallet/db';
import PgBoss from 'pg-boss';
import type postgres from 'postgres';

/**
 * pg-boss on the service's own postgres.js pool (pg-boss's `db` option): no second pool,
 * no second driver. One job is one attempt of one delivery; the job's state (created,
 * active, retry…) and its expiry live in PostgreSQL, in pg-boss's schema, so an attempt
 * survives a restart or a kill -9 of the process that held it.
 */
export const ATTEMPT_QUEUE = 'webhook-attempt';

export interface AttemptJobData {
  deliveryId: string;
}

type Executor = PgBoss.Db;

/**
 * pg-boss hands over JSON values as objects, relying on node-postgres to encode them;
 * Drizzle's pool passes json parameters through untouched (it has already set them
 * transparent), so objects are encoded here. `undefined` is SQL NULL, as node-postgres has it.
 */
function parameterOf(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value) || value instanceof Date || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}

type Unsafe = (text: string, values: never[]) => PromiseLike<unknown[]>;

function executorOn(unsafe: Unsafe): Executor {
  return {
    // pg-boss calls it without values for statements that have none.
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: await unsafe(text, (values ?? []).map(parameterOf) as never[]),
    }),
  };
}

/**
 * Statements on the pool; those that open a transaction themselves (pg-boss's locked
 * maintenance and migration scripts begin with BEGIN) run on a connection of their own,
 * since postgres.js refuses BEGIN on a pool.
 */
export function poolExecutor(pool: postgres.Sql): Executor {
  const onPool = executorOn((text, values) => pool.unsafe(text, values));
  return {
    executeSql: async (text, values) => {
      if (!/^\s*BEGIN/i.test(text)) return onPool.executeSql(text, values);
      const reserved = await pool.reserve();
      try {
        return await executorOn((t, v) => reserved.unsafe(t, v)).executeSql(text, values);
      } catch (error) {
        // A statement of the script failed: the rest of it (its COMMIT too) was skipped,
        // and the connection is inside an aborted transaction. Back to the pool as it is,
        // it failed every later query on it ("current transaction is aborted").
        await reserved.unsafe('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        reserved.release();
      }
    },
  };
}

export interface QueueOptions {
  /** How long an attempt's job stays active before pg-boss hands it out again (a dead worker). */
  expireInSeconds: number;
  /** How often pg-boss looks for expired jobs (one process does it per interval). */
  maintenanceIntervalSeconds: number;
}

/** The advisory lock under which one API process at a time starts the queue. */
const QUEUE_START_LOCK = 'wallet-webhooks-queue-start';

/**
 * Starts pg-boss and makes sure the attempt queue exists, one API process at a time: two
 * processes starting on a new database at once made pg-boss's schema and queue scripts
 * deadlock each other (the failover test's second API process then exited while
 * starting). A session lock on a connection of its own, released whatever happens.
 */
export async function startQueue(db: Db, options: QueueOptions): Promise<PgBoss> {
  const lock = await db.$client.reserve();
  try {
    await lock`SELECT pg_advisory_lock(hashtext(${QUEUE_START_LOCK}))`;
    return await startQueueAlone(db, options);
  } finally {
    await lock`SELECT pg_advisory_unlock(hashtext(${QUEUE_START_LOCK}))`.catch(() => undefined);
    lock.release();
  }
}

async function startQueueAlone(db: Db, options: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    db: poolExecutor(db.$client),
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
  });
  await boss.start();
  await boss.createQueue(ATTEMPT_QUEUE, {
    name: ATTEMPT_QUEUE,
    policy: 'standard',
    expireInSeconds: options.expireInSeconds,
    // A handler that throws (the database went away mid-attempt) comes back: the
    // delivery row decides what is left to do. The delivery schedule is not these retries.
    retryLimit: 50,
    retryDelay: 1,
    retryBackoff: true,
  });
  return boss;
}

/** A transaction on one connection, with the executor pg-boss needs to enqueue inside it. */
export interface Transaction {
  db: Db;
  boss: Executor;
}

export async function inTransaction<T>(db: Db, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const connection = await reserveConnection(db);
  try {
    await connection.command('BEGIN');
    const connectionDb = connection.db;
    // Drizzle keeps the client it was made over: here the reserved connection.
    const { $client: client } = connectionDb as unknown as { $client: { unsafe: Unsafe } };
    const result = await work({
      db: connectionDb as unknown as Db,
      boss: executorOn((text, values) => client.unsafe(text, values)),
    });
    await connection.command('COMMIT');
    return result;
  } catch (error) {
    await connection.command('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}

export interface AttemptJob {
  id: string;
  deliveryId: string;
  startAfter: Date;
}

/** Enqueues attempts inside the caller's transaction: they exist iff it commits. */
export async function enqueueAttempts(
  boss: PgBoss,
  tx: Transaction,
  jobs: readonly AttemptJob[],
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    jobs.map((job) => ({
      id: job.id,
      name: ATTEMPT_QUEUE,
      data: { deliveryId: job.deliveryId } satisfies AttemptJobData,
      startAfter: job.startAfter.toISOString(),
    })),
    { db: tx.boss },
  );
}
