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

export const apiEnvSchema = databaseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: nodeEnvSchema,
  LOG_LEVEL: logLevelSchema,
  /** Group commit (packages/ledger/src/group-commit.ts): writes per database transaction. */
  LEDGER_BATCH_SIZE_MAX: z.coerce.number().int().min(1).max(1024).default(256),
  /** Group commit: write transactions in flight at once, each on its own connection. */
  LEDGER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(2),
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
