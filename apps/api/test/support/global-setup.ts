import { readDatabaseEnv } from '@wallet/db';
import { startTestDatabaseServer } from '@wallet/db/testing';
import type { TestProject } from 'vitest/node';

/**
 * Starts the run's PostgreSQL (the server TEST_DATABASE_URL names, or an embedded one in a
 * temporary folder) with a migrated template, and hands its address to every test file.
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
