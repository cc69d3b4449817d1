import { readDatabaseEnv } from '@wallet/db';

/** A server where the throwaway database may be created; else a temporary PostgreSQL. */
export function throwawayServerUrl(): string | undefined {
  return readDatabaseEnv().TEST_DATABASE_URL;
}

/** The API child inherits this process's environment (PORT, HOST, LOG_LEVEL…). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return process.env;
}
