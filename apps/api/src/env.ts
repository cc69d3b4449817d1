import { GROUP_COMMIT_DEFAULTS } from '@wallet/ledger';
import { availableParallelism } from 'node:os';

import { apiKeyTextSchema, documented, newPasswordSchema, usernameSchema } from '@wallet/contract';
import { databaseEnvSchema } from '@wallet/db';
import { RETRY_SCHEDULE_DEFAULTS, WEBHOOK_SETTINGS_DEFAULTS } from '@wallet/webhooks';
import { z } from 'zod';

/**
 * The only reader of process.env in the API. Everything else receives its settings as
 * arguments, so tests and the bench can build a server without touching the environment.
 */

const nodeEnvSchema = z.enum(['development', 'test', 'production']).default('development');

const logLevelSchema = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

const booleanText = z.enum(['true', 'false'], { error: 'must be true or false' });

/** A comma-separated list; empty text is the empty list. */
function listOf(item: z.ZodString) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(item));
}

const origin = z.string().regex(/^https?:\/\/[^/\s]+$/, {
  error: 'must be origins like https://ops.example.com (no path)',
});

const proxyAddress = z
  .string()
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, { error: 'must be IP addresses or CIDR ranges' });

const perMinute = (fallback: number) =>
  z.coerce.number().int().min(1).max(10_000_000).default(fallback);

const millisecondsUpTo = (ms: number) => z.coerce.number().int().min(0).max(ms);

export const apiEnvSchema = databaseEnvSchema.extend({
  PORT: documented(z.coerce.number().int().min(0).max(65535).default(3000), {
    meaning: 'where the API listens (with `HOST`)',
  }),
  HOST: documented(z.string().min(1).default('127.0.0.1'), {
    meaning: 'the address the API listens on',
  }),
  /**
   * API processes on PORT (Node's cluster module). By default half the cores: on one
   * machine the other half runs PostgreSQL, which the API's throughput needs as much.
   */
  API_WORKERS: documented(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(Math.max(1, Math.floor(availableParallelism() / 2))),
    {
      meaning: "API processes serving `PORT` (Node's cluster module; see docs/scaling.md)",
      shownDefault: 'half the cores (at least 1)',
    },
  ),
  /** Group commit (packages/ledger/src/group-commit.ts): writes per database transaction. */
  // The ledger's own defaults (group-commit.ts), defined there alone.
  LEDGER_BATCH_SIZE_MAX: documented(
    z.coerce.number().int().min(1).max(1024).default(GROUP_COMMIT_DEFAULTS.batchSizeMax),
    {
      meaning: 'group commit: fundings and transfers per database transaction, at most',
    },
  ),
  /** Group commit: write transactions in flight at once, each on its own connection. */
  LEDGER_BATCHES_IN_FLIGHT: documented(
    z.coerce.number().int().min(1).max(64).default(GROUP_COMMIT_DEFAULTS.concurrentBatchesMax),
    { meaning: 'group commit: write transactions in flight per API process' },
  ),
  /**
   * How long an idempotency key is remembered (packages/ledger/src/idempotency-retention.ts):
   * a retry within it gets its 409, one after it is a new request. Swept hourly.
   */
  IDEMPOTENCY_RETENTION_DAYS: documented(z.coerce.number().int().min(1).max(3650).default(30), {
    meaning: 'how long an idempotency key is remembered; older keys are deleted hourly',
  }),
  /**
   * Between two sweeps of expired holds in each API process (hold-expiry.ts): a hold past
   * its expiry is never capturable, and its amount is back in available within this.
   */
  HOLD_EXPIRY_INTERVAL_MS: documented(
    z.coerce.number().int().min(100).max(3_600_000).default(5_000),
    {
      meaning: 'between two sweeps that release expired holds (each API process sweeps)',
    },
  ),
  LOG_LEVEL: documented(logLevelSchema, {
    meaning: 'pino level: `fatal` … `trace`, or `silent`; `debug` adds a line per request',
  }),
  /** Requests slower than this are logged (warn) whatever their outcome; 0 turns it off. */
  LOG_SLOW_REQUEST_MS: documented(millisecondsUpTo(600_000).default(1_000), {
    meaning: 'a request slower than this is logged (warn); 0: none. Errors are always logged',
  }),
  NODE_ENV: documented(nodeEnvSchema, {
    meaning: '`production` hides stack traces from tRPC errors',
  }),
  /** First start only: the admin operator's name, password and API key (else generated). */
  ADMIN_USERNAME: documented(usernameSchema.default('admin'), {
    meaning: "first start only: the admin account's name",
  }),
  ADMIN_PASSWORD: documented(newPasswordSchema.optional(), {
    meaning: 'first start only: its password (12–256 characters)',
    shownDefault: 'generated, printed once',
  }),
  ADMIN_API_KEY: documented(apiKeyTextSchema.optional(), {
    meaning: 'first start only: the admin key, `wlk_<32 hex>_<43 base64url>`',
    shownDefault: 'generated, printed once',
  }),
  RATE_LIMIT_PER_KEY_PER_MINUTE: documented(perMinute(6_000), {
    meaning: 'requests per window for each API key or signed-in operator',
  }),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: documented(perMinute(300), {
    meaning: 'requests per window for each address without a valid credential',
  }),
  RATE_LIMIT_SIGN_IN_PER_MINUTE: documented(perMinute(10), {
    meaning: 'sign-in attempts per window, per address and per username',
  }),
  /** The rate limits' window; tests shrink it. The limits above count per window. */
  RATE_LIMIT_WINDOW_MS: documented(
    z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    { meaning: "the rate limits' window" },
  ),
  TRUSTED_ORIGINS: documented(
    listOf(origin).default(['http://127.0.0.1:3001', 'http://localhost:3001']),
    {
      meaning: "origins whose pages may send cookie-authenticated writes (the dashboard's)",
      shownDefault: 'http://127.0.0.1:3001,http://localhost:3001',
    },
  ),
  CORS_ORIGINS: documented(listOf(origin).default([]), {
    meaning: 'origins allowed to call the API from a browser directly',
    shownDefault: 'empty (no CORS)',
  }),
  TRUSTED_PROXIES: documented(listOf(proxyAddress).default(['127.0.0.1', '::1']), {
    meaning: 'proxies whose `X-Forwarded-For` is believed (IPs or CIDRs)',
    shownDefault: '127.0.0.1,::1',
  }),
  /** false only for a dashboard served over plain HTTP on a host other than localhost. */
  SESSION_COOKIE_SECURE: documented(
    booleanText.default('true').transform((text) => text === 'true'),
    {
      meaning: '`false` only to serve the dashboard over plain HTTP on a host other than localhost',
      shownDefault: 'true',
    },
  ),
  SESSION_TTL_MINUTES: documented(
    z.coerce
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(480),
    { meaning: 'how long a dashboard session lasts' },
  ),
  /** Webhooks (packages/webhooks, docs/webhooks.md): the dispatcher and worker of each process. */
  WEBHOOKS_ENABLED: documented(
    booleanText.default('true').transform((text) => text === 'true'),
    {
      meaning:
        '`false` stops this process from dispatching and sending webhooks (endpoints can still be managed)',
      shownDefault: 'true',
    },
  ),
  /** Off by default: a webhook URL may not reach loopback, private or link-local addresses (SSRF). */
  WEBHOOKS_ALLOW_PRIVATE_URLS: documented(
    booleanText.default('false').transform((text) => text === 'true'),
    {
      meaning:
        '`true` lets webhook URLs reach loopback, private, link-local and unique-local addresses (local receivers, tests)',
      shownDefault: 'false',
    },
  ),
  WEBHOOKS_ATTEMPT_TIMEOUT_MS: documented(
    z.coerce
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(WEBHOOK_SETTINGS_DEFAULTS.attemptTimeoutMs),
    { meaning: 'one webhook attempt, connection to last byte, at most' },
  ),
  WEBHOOKS_CONCURRENCY: documented(
    z.coerce.number().int().min(1).max(256).default(WEBHOOK_SETTINGS_DEFAULTS.concurrency),
    { meaning: 'webhook attempts in flight at once per API process' },
  ),
  WEBHOOKS_ENDPOINT_CONCURRENCY: documented(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(WEBHOOK_SETTINGS_DEFAULTS.endpointConcurrencyMax),
    { meaning: 'webhook attempts in flight at once to one endpoint, over all API processes' },
  ),
  WEBHOOKS_RETRY_FIRST_DELAY_MS: documented(
    z.coerce.number().int().min(1).max(3_600_000).default(RETRY_SCHEDULE_DEFAULTS.firstDelayMs),
    { meaning: "a failed delivery's first retry, before jitter; each next one doubles" },
  ),
  WEBHOOKS_RETRY_DELAY_MAX_MS: documented(
    z.coerce.number().int().min(1).max(86_400_000).default(RETRY_SCHEDULE_DEFAULTS.delayMaxMs),
    { meaning: 'no webhook retry waits longer than this (before jitter)' },
  ),
  WEBHOOKS_RETRY_WINDOW_MS: documented(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400_000)
      .default(RETRY_SCHEDULE_DEFAULTS.windowMs),
    { meaning: 'how long a delivery is retried before it is marked failed (24 h)' },
  ),
  WEBHOOKS_POLL_MS: documented(
    z.coerce.number().int().min(10).max(60_000).default(WEBHOOK_SETTINGS_DEFAULTS.pollIntervalMs),
    { meaning: 'how often an idle webhook dispatcher and worker look for work' },
  ),
  WEBHOOKS_QUEUE_MAINTENANCE_SECONDS: documented(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(3_600)
      .default(WEBHOOK_SETTINGS_DEFAULTS.maintenanceIntervalSeconds),
    {
      meaning:
        'how often pg-boss looks for the attempt jobs of a dead process (kill -9) to hand them out again',
    },
  ),
  /** How long a verified API key is trusted without a query (revocation also NOTIFYs). */
  API_KEY_CACHE_TTL_MS: documented(z.coerce.number().int().min(0).max(300_000).default(10_000), {
    meaning: 'how long a verified key is trusted without a query (revocation is pushed at once)',
  }),
});

export type ApiEnv = z.infer<typeof apiEnvSchema>;

/** Reads and validates the environment; throws one readable line per wrong variable. */
export function readApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  const parsed = apiEnvSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * tRPC fixes `isDev` when the router is built, at import time, so this one value is read
 * there. An unknown NODE_ENV counts as not development: stack traces stay hidden, and
 * main.ts still refuses it through readApiEnv.
 */
export const isDevelopment = nodeEnvSchema.safeParse(process.env.NODE_ENV).data === 'development';
