import { createDatabase, type Database } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { afterAll, inject } from 'vitest';

import { createLedger, type Ledger } from '../src';

export interface TestLedger {
  ledger: Ledger;
  db: Database['db'];
}

/** A ledger on a fresh database of its own, dropped when the file's tests end. */
export async function useTestLedger(poolMax = 20): Promise<TestLedger> {
  const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
  const database = createDatabase(testDatabase.url, { poolMax });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });
  return { ledger: createLedger(database.db), db: database.db };
}
