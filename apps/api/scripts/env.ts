import { readDatabaseEnv } from '@wallet/db';

/** A server where the throwaway database may be created; else a temporary PostgreSQL. */
export function throwawayServerUrl(): string | undefined {
  return readDatabaseEnv().TEST_DATABASE_URL;
}

/** A child process inherits this one's environment (PATH and all), with the overrides on top. */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
