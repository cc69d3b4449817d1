import { availableParallelism } from 'node:os';

import { apiKeyTextSchema, newPasswordSchema, usernameSchema } from '@wallet/contract';
import { databaseEnvSchema } from '@wallet/db';
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

export const apiEnvSchema = databaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * API processes on PORT (Node's cluster module). By default half the cores: on one
   * machine the other half runs PostgreSQL, which the API's throughput needs as much.
   */
  API_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(1, Math.floor(availableParallelism() / 2))),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: nodeEnvSchema,
  LOG_LEVEL: logLevelSchema,
  /** Group commit (packages/ledger/src/group-commit.ts): writes per database transaction. */
  LEDGER_BATCH_SIZE_MAX: z.coerce.number().int().min(1).max(1024).default(256),
  /** Group commit: write transactions in flight at once, each on its own connection. */
  LEDGER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(2),
  /** First start only: the admin operator's name, password and API key (else generated). */
  ADMIN_USERNAME: usernameSchema.default('admin'),
  ADMIN_PASSWORD: newPasswordSchema.optional(),
  ADMIN_API_KEY: apiKeyTextSchema.optional(),
  RATE_LIMIT_PER_KEY_PER_MINUTE: perMinute(6_000),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: perMinute(300),
  RATE_LIMIT_SIGN_IN_PER_MINUTE: perMinute(10),
  /** The rate limits' window; tests shrink it. The limits above count per window. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  TRUSTED_ORIGINS: listOf(origin).default(['http://127.0.0.1:3001', 'http://localhost:3001']),
  CORS_ORIGINS: listOf(origin).default([]),
  TRUSTED_PROXIES: listOf(proxyAddress).default(['127.0.0.1', '::1']),
  /** false only for a dashboard served over plain HTTP on a host other than localhost. */
  SESSION_COOKIE_SECURE: booleanText.default('true').transform((text) => text === 'true'),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(480),
  /** How long a verified API key is trusted without a query (revocation also NOTIFYs). */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
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
