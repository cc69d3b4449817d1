/**
 * `pnpm start` / `pnpm dev` of the dashboard: `next start` (or `next dev`) on WEB_HOST and
 * WEB_PORT as the env schema validates them (src/env.ts), so a wrong value stops the start
 * with a message naming the variable, and the defaults live in the schema alone. Signals
 * are passed on to Next, and its exit code is this process's.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

import { readWebEnv } from '../src/env';

const mode = process.argv[2];
if (mode !== 'start' && mode !== 'dev') {
  console.error('usage: scripts/next.ts start|dev');
  process.exit(2);
}

let env;
try {
  env = readWebEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const next = spawn(
  process.execPath,
  [nextBin, mode, '--hostname', env.WEB_HOST, '--port', String(env.WEB_PORT)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => next.kill(signal));
}
next.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
