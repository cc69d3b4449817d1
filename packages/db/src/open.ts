import { createDatabase, type Database, type DatabaseOptions } from './client';
import { startEmbeddedPostgres, type EmbeddedOptions } from './embedded';
import { migrateDatabase } from './migrate';

export interface OpenDatabaseOptions extends DatabaseOptions {
  /** The server to use. Without it, an embedded PostgreSQL is started. */
  url?: string;
  /** A streaming replica of `url`'s server, for reads; needs `url` (none of the embedded). */
  replicaUrl?: string;
  embedded: EmbeddedOptions;
  log?: (message: string) => void;
}

export interface OpenedDatabase extends Database {
  /** Where the data lives when the embedded server was started; undefined otherwise. */
  embeddedDataDir?: string;
  /** A pool on the replica, when one was named. */
  replica?: Database;
}

/**
 * The service's database: the server named by `url`, or an embedded PostgreSQL when none
 * is given; migrated before it is handed out. `close()` closes the pool, then stops the
 * embedded server if this call started it.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.replicaUrl && !options.url) {
    throw new Error('DATABASE_REPLICA_URL needs DATABASE_URL: the embedded server has no replica');
  }
  const log = options.log ?? (() => undefined);
  const embedded = options.url ? undefined : await startEmbeddedPostgres(options.embedded);
  if (embedded) log(`embedded PostgreSQL started; data in ${embedded.dataDir}`);
  const url = options.url ?? embedded?.url;
  if (!url) throw new Error('no database URL and no embedded server');
  try {
    await migrateDatabase(url);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const database = createDatabase(url, options);
  const replica = options.replicaUrl
    ? createDatabase(options.replicaUrl, {
        ...options,
        applicationName: `${options.applicationName ?? 'wallet-ledger'}-reads`,
      })
    : undefined;
  return {
    db: database.db,
    url,
    embeddedDataDir: embedded?.dataDir,
    replica,
    close: async () => {
      await Promise.all([database.close(), replica?.close()]);
      await embedded?.stop();
    },
  };
}
