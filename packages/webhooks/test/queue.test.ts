import { createDatabase } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it, inject } from 'vitest';

import { poolExecutor } from '../src/queue';

const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
// One connection: a script that left it inside an aborted transaction would fail the next query.
const database = createDatabase(testDatabase.url, { poolMax: 1 });
afterAll(async () => {
  await database.close();
  await testDatabase.drop();
});

// pg-boss sends its locked scripts as one text that begins with BEGIN. When a statement of
// one fails (two API processes creating the queue at once did), its COMMIT never runs:
// released as it was, the connection failed every later query of the pool ("current
// transaction is aborted") and the API process exited while starting.
it('rolls back a failed BEGIN script before its connection goes back to the pool', async () => {
  const executor = poolExecutor(database.db.$client);
  await expect(executor.executeSql('BEGIN; SELECT 1 / 0; COMMIT;', [])).rejects.toThrow(
    'division by zero',
  );
  const [row] = await database.db.execute<{ one: number }>(sql`SELECT 1 AS one`);
  expect(row?.one).toBe(1);
});
