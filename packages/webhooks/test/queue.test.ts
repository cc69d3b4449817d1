import { createDatabase } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it, inject } from 'vitest';

import { poolExecutor, startQueue } from '../src/queue';

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

// Two API processes starting on a new database at once: pg-boss's schema and queue scripts
// deadlocked each other, and one process exited while starting (seen in the failover test
// about one run in two). One start at a time, under an advisory lock.
it('starts the queue from several processes at once on a new database', async () => {
  const fresh = await createTestDatabase(inject('testDatabaseServer'));
  const pools = [0, 1, 2].map(() => createDatabase(fresh.url, { poolMax: 4 }));
  try {
    const options = { expireInSeconds: 60, maintenanceIntervalSeconds: 60 };
    const queues = await Promise.all(pools.map((pool) => startQueue(pool.db, options)));
    expect(queues).toHaveLength(3);
    await Promise.all(queues.map((boss) => boss.stop({ graceful: false, wait: true })));
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    await fresh.drop();
  }
});
