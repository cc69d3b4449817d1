import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

import { createDatabase } from '@wallet/db';

import { createWallet, finish, fund, startApiProcess, throwawayPostgres } from './support';

/**
 * A client gives up on requests while their handlers still run (here they wait on a row
 * lock held for a second). The handlers finish, but the connections stay open, and on
 * SIGTERM main.ts's graceful shutdown waits for them until its 15 s timeout, then exits 1.
 * Run: `cd tooling/bank && node --import tsx repro/shutdown-hangs-after-aborted-requests.ts`.
 */

const HOLD_LOCK_MS = 1_000;
const CLIENT_TIMEOUT_MS = 150;
// main.ts gives requests in flight an 8 s drain window, then closes what is left: a clean
// exit within it (plus slack) is the fix; the bug was waiting out the 15 s timeout, exit 1.
const SHUTDOWN_EXPECTED_MS = 10_000;

const database = await throwawayPostgres();
const api = await startApiProcess(database.url);
const walletId = await createWallet(api.baseUrl);
const locker = createDatabase(database.url, { poolMax: 1 });
const held = locker.db.transaction(async (tx) => {
  await tx.execute(`SELECT 1 FROM wallets WHERE id = '${walletId}' FOR UPDATE`);
  await sleep(HOLD_LOCK_MS);
});
await sleep(100);
const statuses = await Promise.all(
  Array.from({ length: 8 }, () => fund(api.baseUrl, walletId, CLIENT_TIMEOUT_MS)),
);
console.log(`client statuses (0 = gave up): ${statuses.join(', ')}`);
await held;
await locker.close();
await sleep(500);
const startedAt = performance.now();
const exited = once(api.child, 'exit') as Promise<[number | null]>;
api.child.kill('SIGTERM');
const [code] = await exited;
const tookMs = performance.now() - startedAt;
await database.close();
console.log(`SIGTERM → exit ${code} after ${Math.round(tookMs)} ms`);
finish(
  code !== 0 || tookMs > SHUTDOWN_EXPECTED_MS,
  'graceful shutdown hung on connections whose requests the client had abandoned',
);
