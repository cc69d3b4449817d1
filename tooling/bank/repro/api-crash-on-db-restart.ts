import { setTimeout as sleep } from 'node:timers/promises';

import { createWallet, finish, fund, load, startApiProcess, throwawayPostgres } from './support';

/**
 * An API process dies (exit 1, uncaught TypeError in postgres.js's connection.js nextWrite)
 * when PostgreSQL restarts while write transactions are open, instead of answering 503.
 * Run: `cd tooling/bank && node --import tsx repro/api-crash-on-db-restart.ts`; exits 1
 * while the bug is there.
 */

const database = await throwawayPostgres();
const api = await startApiProcess(database.url);
const walletId = await createWallet(api.baseUrl);
const traffic = load(16, () => fund(api.baseUrl, walletId, 5_000));
await sleep(500);
await database.restart(500);
await sleep(1_000);
await traffic.stop();
const crashed = api.child.exitCode !== null;
api.child.kill('SIGKILL');
await database.close();
finish(crashed, 'the API process exited when PostgreSQL restarted under load');
