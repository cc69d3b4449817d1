import { readDatabaseEnv } from '@wallet/db';

/** The bench's one look at the environment: an external test server, if one is named. */
export function benchDatabaseUrl(): string | undefined {
  return readDatabaseEnv().TEST_DATABASE_URL;
}
