import { readDatabaseEnv } from '@wallet/db';
import { startTestDatabaseServer } from '@wallet/db/testing';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseServer: { adminUrl: string; templateName: string };
  }
}

/** One real PostgreSQL for the run, with a migrated template each test file clones. */
export default async function setup(project: TestProject) {
  const server = await startTestDatabaseServer(readDatabaseEnv().TEST_DATABASE_URL);
  project.provide('testDatabaseServer', {
    adminUrl: server.adminUrl,
    templateName: server.templateName,
  });
  return () => server.stop();
}
