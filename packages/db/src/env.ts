import { fileURLToPath } from 'node:url';

import { z } from 'zod';

import { POOL_MAX_DEFAULT } from './client';
import { EMBEDDED_PORT_DEFAULT } from './embedded';

/** The checkout's git-ignored `.data/postgres`: the embedded server's data, kept between runs. */
export const EMBEDDED_DATA_DIR_DEFAULT = fileURLToPath(
  new URL('../../../.data/postgres', import.meta.url),
);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' });

/** The database settings every process of the service reads, validated. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  /** A streaming replica of DATABASE_URL's server: reads go there when it has caught up. */
  DATABASE_REPLICA_URL: postgresUrl.optional(),
  /** How long a read waits for the replica to replay the latest writes, then uses the primary. */
  DATABASE_REPLICA_WAIT_MS: z.coerce.number().int().min(0).max(5_000).default(100),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(POOL_MAX_DEFAULT),
  EMBEDDED_PG_DIR: z.string().min(1).default(EMBEDDED_DATA_DIR_DEFAULT),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(EMBEDDED_PORT_DEFAULT),
  /** For tests only: a server on which the tests may create and drop databases. */
  TEST_DATABASE_URL: postgresUrl.optional(),
});

export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** Reads the process environment; throws a readable message for each wrong value. */
export function readDatabaseEnv(source: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  const parsed = databaseEnvSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
