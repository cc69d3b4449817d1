import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';

import { migrateDatabase, startEmbeddedPostgres, type EmbeddedServer } from '@wallet/db';
import type { Logger } from 'pino';

import type { ApiEnv } from './env';

/**
 * API_WORKERS > 1: this process supervises that many API processes on the one port
 * (Node's cluster module hands each new connection to a worker, round-robin). It starts
 * the embedded PostgreSQL when no DATABASE_URL is set and migrates the database once;
 * the workers then connect to it by URL. It serves nothing itself, restarts a worker that
 * dies (as an orchestrator would), and on SIGTERM/SIGINT stops the workers (each drains
 * its requests), then the embedded server. Nothing the ledger's correctness depends on
 * lives in a worker's memory: locks, idempotency keys, sessions and rate-limit counters
 * are all in PostgreSQL.
 */

/** Past this, a worker still running after SIGTERM is killed. */
const WORKER_STOP_TIMEOUT_MS = 20_000;
/** A worker that dies is started again after this, doubling while it keeps dying young. */
const RESTART_DELAY_MS_MIN = 100;
const RESTART_DELAY_MS_MAX = 5_000;
/** A worker that lived this long counts as healthy: its next restart starts from the minimum. */
const HEALTHY_LIFETIME_MS = 30_000;

export async function superviseWorkers(env: ApiEnv, logger: Logger): Promise<void> {
  const embedded = env.DATABASE_URL ? undefined : await startEmbedded(env, logger);
  const databaseUrl = env.DATABASE_URL ?? embedded?.url;
  if (!databaseUrl) throw new Error('no database URL and no embedded server');
  try {
    await migrateDatabase(databaseUrl);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  let stopping = false;
  let restartDelayMs = RESTART_DELAY_MS_MIN;
  const startedAt = new Map<Worker, number>();
  const fork = () => {
    const worker = cluster.fork({ DATABASE_URL: databaseUrl });
    startedAt.set(worker, performance.now());
  };
  cluster.on('exit', (worker, code, signal) => {
    const lived = performance.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    restartDelayMs =
      lived >= HEALTHY_LIFETIME_MS
        ? RESTART_DELAY_MS_MIN
        : Math.min(restartDelayMs * 2, RESTART_DELAY_MS_MAX);
    logger.error(
      { pid: worker.process.pid, code, signal, restartInMs: restartDelayMs },
      'API worker exited; starting another',
    );
    setTimeout(fork, restartDelayMs).unref();
  });
  for (let index = 0; index < env.API_WORKERS; index++) fork();
  logger.info({ workers: env.API_WORKERS, port: env.PORT }, 'API workers starting');

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the API workers');
    const workers = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined,
    );
    void Promise.all(workers.map((worker) => stopWorker(worker)))
      .then(() => embedded?.stop())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function startEmbedded(env: ApiEnv, logger: Logger): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres({
    dataDir: env.EMBEDDED_PG_DIR,
    port: env.EMBEDDED_PG_PORT,
    onLog: (line) => {
      logger.debug({ postgres: line }, 'embedded PostgreSQL');
    },
  });
  logger.info({ embeddedDataDir: server.dataDir }, 'embedded PostgreSQL started');
  return server;
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return;
  const exited = once(worker, 'exit');
  worker.process.kill('SIGTERM');
  const timer = setTimeout(() => worker.process.kill('SIGKILL'), WORKER_STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
