/**
 * The API on a throwaway database, for end-to-end runs (the dashboard's Playwright suite
 * starts it as a webServer) and demos: a fresh database, then the real API
 * (src/main.ts) on it, with this process's environment (PORT, HOST, LOG_LEVEL…). On
 * SIGTERM it stops the API and removes the temporary PostgreSQL with its folder (or drops
 * the database, on a server named by TEST_DATABASE_URL).
 *
 * Run with `node --import tsx apps/api/scripts/throwaway-server.ts`.
 */
import { createTestDatabase, startTestDatabaseServer } from '@wallet/testing';

import { spawnApi, stopApi } from './api-process';
import { throwawayServerUrl } from './env';

/** main.ts's own shutdown gives up after 15 s; past this, the API is killed. */
const API_STOP_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const serverUrl = throwawayServerUrl();
  const server = await startTestDatabaseServer(serverUrl);
  const database = await createTestDatabase(server);

  // In the directory this script was started from, as before (spawnApi's default is apps/api).
  const api = spawnApi({
    env: { DATABASE_URL: database.url },
    stdio: 'inherit',
    cwd: process.cwd(),
  });
  const apiExited = new Promise<void>((resolve) =>
    api.once('exit', () => {
      resolve();
    }),
  );

  const temporaryServer = serverUrl === undefined;
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[throwaway api] ${reason}: stopping the API and removing its database`);
    const apiDone = stopApi(api, API_STOP_TIMEOUT_MS);
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
        console.error('[throwaway api] cleanup failed', error);
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

main().catch((error: unknown) => {
  console.error('[throwaway api] could not start', error);
  process.exit(1);
});
