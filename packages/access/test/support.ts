import { createDatabase, type Database } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { afterAll, inject } from 'vitest';

import { createAccess, type Access, type AccessOptions } from '../src';

export interface TestAccess {
  access: Access;
  database: Database;
  url: string;
}

/** Access control on a fresh database of its own, dropped when the file's tests end. */
export async function useTestAccess(options: AccessOptions = {}): Promise<TestAccess> {
  const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
  const database = createDatabase(testDatabase.url, { poolMax: 5 });
  const access = createAccess(database.db, options);
  afterAll(async () => {
    await access.close();
    await database.close();
    await testDatabase.drop();
  });
  return { access, database, url: testDatabase.url };
}
