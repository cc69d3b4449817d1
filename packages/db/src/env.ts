import { fileURLToPath } from 'node:url';

import { documented } from '@wallet/contract';
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

/** The database settings every process of the service reads, validated and documented. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: documented(postgresUrl.optional(), {
    meaning: '`postgres://…` of the server to use; unset starts the embedded PostgreSQL',
  }),
  DATABASE_POOL_MAX: documented(z.coerce.number().int().min(1).max(500).default(POOL_MAX_DEFAULT), {
    meaning: 'connections in the pool',
  }),
  EMBEDDED_PG_DIR: documented(z.string().min(1).default(EMBEDDED_DATA_DIR_DEFAULT), {
    meaning: "the embedded server's data folder",
    shownDefault: '.data/postgres',
  }),
  EMBEDDED_PG_PORT: documented(
    z.coerce.number().int().min(1).max(65535).default(EMBEDDED_PORT_DEFAULT),
    { meaning: "the embedded server's port (loopback only)" },
  ),
  DATABASE_REPLICA_URL: documented(postgresUrl.optional(), {
    meaning: "a streaming replica of `DATABASE_URL`'s server: reads go there once caught up",
  }),
  DATABASE_REPLICA_WAIT_MS: documented(z.coerce.number().int().min(0).max(5_000).default(100), {
    meaning: 'how long a read waits for the replica to replay the latest writes, else primary',
  }),
  TEST_DATABASE_URL: documented(postgresUrl.optional(), {
    meaning: 'tests only: a server where tests may create databases',
    section: 'tests',
  }),
});

export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** Reads the process environment; throws a readable message for each wrong value. */
export function readDatabaseEnv(source: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  const parsed = databaseEnvSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
