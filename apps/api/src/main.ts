import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';

import {
  createAccess,
  createRateLimitCounter,
  type Access,
  type Bootstrapped,
} from '@wallet/access';
import { openDatabase, readMigrationStatus, type OpenedDatabase } from '@wallet/db';
import { createLedger } from '@wallet/ledger';
import { createWebhooks, ledgerEventSource, type Webhooks } from '@wallet/webhooks';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import { readApiEnv, type ApiEnv } from './env';
import { scheduleHoldExpiry } from './hold-expiry';
import { scheduleIdempotencyExpiry } from './idempotency-expiry';
import { createLogger } from './observability/logging';
import { createMetrics, ledgerObserverOf } from './observability/metrics';
import { securitySettingsFrom } from './security/settings';
import { trackRequestsInFlight } from './requests-in-flight';
import { buildServer, OPENAPI_PATH, TRPC_PREFIX } from './server';
import { superviseWorkers } from './supervisor';
import { webhookSettingsFrom } from './webhook-settings';

/** Past this, shutdown gives up on in-flight work and exits non-zero. */
const SHUTDOWN_TIMEOUT_MS = 15_000;
/**
 * How long requests in flight get to finish before their connections are closed. A client
 * that gave up on a request can leave its connection open and never idle in Node's eyes,
 * and close() would wait on it until the timeout. Every ledger call ends well within this
 * (lock waits stop at 5 s), and a transaction cut short commits whole or not at all.
 */
const SHUTDOWN_DRAIN_MS = 8_000;

/**
 * The only file with side effects: environment, database (embedded unless DATABASE_URL is
 * set; migrated), ledger, HTTP server; then it waits for SIGTERM or SIGINT. With
 * API_WORKERS > 1 this process supervises that many such API processes instead.
 */
async function main(): Promise<void> {
  const env = readApiEnv();
  const logger = createLogger(env.LOG_LEVEL);
  if (cluster.isPrimary && env.API_WORKERS > 1) {
    await superviseWorkers(env, logger);
    return;
  }
  await serve(env, logger);
}

async function serve(env: ApiEnv, logger: Logger): Promise<void> {
  const database = await openDatabase({
    url: env.DATABASE_URL,
    replicaUrl: env.DATABASE_REPLICA_URL,
    poolMax: env.DATABASE_POOL_MAX,
    embedded: {
      dataDir: env.EMBEDDED_PG_DIR,
      port: env.EMBEDDED_PG_PORT,
      onLog: (line) => {
        logger.debug({ postgres: line }, 'embedded PostgreSQL');
      },
    },
    log: (message) => {
      logger.info(message);
    },
  });
  logger.info(
    database.embeddedDataDir
      ? { embeddedDataDir: database.embeddedDataDir }
      : { database: 'DATABASE_URL' },
    'database ready',
  );

  const access = createAccess(database.db, { keyCacheTtlMs: env.API_KEY_CACHE_TTL_MS });
  await access.listen(database.url);
  const bootstrapped = await access.bootstrapAdmin({
    username: env.ADMIN_USERNAME,
    password: env.ADMIN_PASSWORD,
    apiKey: env.ADMIN_API_KEY,
  });
  if (bootstrapped) printFirstStart(bootstrapped, `http://${formatHost(env.HOST)}:${env.PORT}`);

  const metrics = createMetrics({ poolMax: env.DATABASE_POOL_MAX });
  const ledger = createLedger(database.db, {
    groupCommit: {
      batchSizeMax: env.LEDGER_BATCH_SIZE_MAX,
      concurrentBatchesMax: env.LEDGER_BATCHES_IN_FLIGHT,
    },
    replica: database.replica && {
      db: database.replica.db,
      waitMs: env.DATABASE_REPLICA_WAIT_MS,
    },
    observer: ledgerObserverOf(metrics),
  });
  const rateLimitCounter = createRateLimitCounter(database.db);
  // Each API process dispatches and sends: the queue (pg-boss) shares the work out.
  const webhooks = createWebhooks(database.db, {
    settings: webhookSettingsFrom(env),
    onError: (error, where) => {
      logger.warn({ err: error, where }, 'webhooks');
    },
  });
  if (env.WEBHOOKS_ENABLED) await webhooks.start(ledgerEventSource(ledger));
  const app = await buildServer({
    webhooks,
    ledger,
    metrics,
    rateLimitCounter,
    access,
    readMigrationStatus: () => readMigrationStatus(database.db),
    security: securitySettingsFrom(env),
    poolMax: env.DATABASE_POOL_MAX,
    logger,
    slowRequestMs: env.LOG_SLOW_REQUEST_MS,
  });
  const requests = trackRequestsInFlight(app.server);
  const expiry = scheduleIdempotencyExpiry(ledger, {
    retentionDays: env.IDEMPOTENCY_RETENTION_DAYS,
    onRun: (outcome) => {
      if ('error' in outcome)
        logger.warn({ err: outcome.error }, 'idempotency key clean-up failed');
      else if (outcome.deleted > 0) logger.info(outcome, 'expired idempotency keys deleted');
    },
  });
  const holdExpiry = scheduleHoldExpiry(ledger, {
    intervalMs: env.HOLD_EXPIRY_INTERVAL_MS,
    onRun: (outcome) => {
      if ('error' in outcome) logger.warn({ err: outcome.error }, 'hold expiry sweep failed');
      else if (outcome.released > 0) logger.info(outcome, 'expired holds released');
    },
  });
  const sweeps = {
    stop: () => Promise.all([expiry.stop(), holdExpiry.stop()]).then(() => undefined),
  };
  shutDownOnSignals(app, database, access, logger, sweeps, requests, webhooks);

  try {
    await app.listen({ port: env.PORT, host: env.HOST });
  } catch (error) {
    await webhooks.stop();
    await database.close();
    throw error;
  }
  const base = `http://${formatHost(env.HOST)}:${portOf(app.server.address()) ?? env.PORT}`;
  logger.info(
    { rest: `${base}/wallets`, trpc: `${base}${TRPC_PREFIX}`, openapi: `${base}${OPENAPI_PATH}` },
    `wallet API listening on ${base}`,
  );
}

/**
 * SIGTERM or SIGINT: stop accepting and let requests in flight finish (app.close()), then
 * close the pool and stop the embedded server (database.close() does both), then exit 0.
 * Connections that carry no request are closed as soon as none is in flight: a client's
 * idle or abandoned connection does not hold the shutdown for the whole drain window.
 */
function shutDownOnSignals(
  app: FastifyInstance,
  database: OpenedDatabase,
  access: Access,
  logger: Logger,
  expiry: { stop(): Promise<void> },
  requests: ReturnType<typeof trackRequestsInFlight>,
  webhooks: Webhooks,
) {
  let closing = false;
  const shutDown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    setTimeout(() => {
      logger.warn('closing the connections still open after the drain window');
      app.server.closeAllConnections();
    }, SHUTDOWN_DRAIN_MS).unref();
    requests.closeConnectionsWhenIdle();
    app
      .close()
      // Webhook attempts in flight end first (each within its timeout); the rest waits in the queue.
      .then(() => Promise.all([access.close(), expiry.stop(), webhooks.stop()]))
      .then(() => database.close())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

/**
 * The first start of a new database: the admin's credentials, once, on stdout (not in
 * the log). What came from the environment is not repeated.
 */
function printFirstStart(made: Bootstrapped, base: string): void {
  const rule = '='.repeat(78);
  const lines = [
    rule,
    ' First start: an admin operator and an admin API key were created.',
    ' They are shown this once; store them now (the database keeps only hashes).',
    '',
    `   dashboard username: ${made.username}`,
    `   dashboard password: ${made.generatedPassword ? made.password : '(from ADMIN_PASSWORD)'}`,
    `   admin API key:      ${made.generatedApiKey ? made.apiKey : '(from ADMIN_API_KEY)'}`,
    '',
    `   curl -H "Authorization: Bearer <admin API key>" ${base}/wallets`,
    '   More keys and operators: pnpm access keys create --name ci --role operator',
    rule,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function portOf(address: AddressInfo | string | null): number | undefined {
  return address && typeof address === 'object' ? address.port : undefined;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
