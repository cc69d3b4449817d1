import { readDatabaseEnv } from '@wallet/db';

/** The bench's one look at the environment: an external test server, if one is named. */
export function benchDatabaseUrl(): string | undefined {
  return readDatabaseEnv().TEST_DATABASE_URL;
}

/** The API child inherits this process's environment (PATH and all), with the bench's settings on top. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
