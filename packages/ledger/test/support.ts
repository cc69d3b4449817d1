import { createDatabase, type Database } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { afterAll, expect, inject } from 'vitest';

import { createLedger, type Ledger } from '../src';
import { postgresErrorOf } from '../src/pg-errors';

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

/**
 * Expects the database to refuse `write` by the named constraint or trigger (its
 * constraint name, or the message of a refusal that names none). `exact`: the name must
 * be the constraint's own, not merely contained in it.
 */
export async function expectRefusedBy(
  write: Promise<unknown>,
  constraint: string,
  match: 'exact' | 'contains' = 'contains',
): Promise<void> {
  const error = await write.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected ${constraint} to refuse the write`).toBeDefined();
  const pgError = postgresErrorOf(error) as { constraint_name?: string; message?: string };
  const named = pgError.constraint_name ?? pgError.message;
  if (match === 'exact') expect(named).toBe(constraint);
  else expect(named).toContain(constraint);
}
