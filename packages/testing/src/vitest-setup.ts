import type { TestProject } from 'vitest/node';

import { readDatabaseEnv } from '@wallet/db';

import { startTestDatabaseServer } from './database';

/**
 * Vitest's global setup for every package whose tests need PostgreSQL: starts the run's
 * server (the one TEST_DATABASE_URL names, or an embedded one in a temporary folder) with
 * a migrated template, and hands its address to every test file, which clones the
 * template (createTestDatabase). A package's test/global-setup re-exports it, which also
 * brings the `inject('testDatabaseServer')` type into that package's tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestDatabaseServer(readDatabaseEnv().TEST_DATABASE_URL);
  project.provide('testDatabaseServer', {
    adminUrl: server.adminUrl,
    templateName: server.templateName,
  });
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseServer: { adminUrl: string; templateName: string };
  }
}
