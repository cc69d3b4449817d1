import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { settleWithin } from '@wallet/db';

import { childEnvironment } from './env';
import { HARNESS_API_ENV } from './harness-auth';

/**
 * The API (src/main.ts) as a child process, as the bench, the bank test and the throwaway
 * server run it: spawned with an environment, waited for until /healthz answers, and
 * stopped with SIGTERM, then SIGKILL if it hangs. Every wait is bounded.
 */

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const HEALTH_POLL_MS = 100;
const HEALTH_REQUEST_TIMEOUT_MS = 2_000;
/** How long a process gets to go once it has been sent SIGKILL. */
const KILL_TIMEOUT_MS = 10_000;

export interface SpawnApiOptions {
  /** Set on top of this process's environment and the harness credential (HARNESS_API_ENV). */
  env: Record<string, string>;
  stdio: StdioOptions;
  /** apps/api unless given. */
  cwd?: string;
}

/**
 * How `pnpm start` runs the API (apps/api/package.json's start script: keep the two the
 * same): plain `node` on the bundle (scripts/bundle.ts), one process, so signals hit the
 * server itself. A young generation of 8 MB semi-spaces instead of V8's 16 MB, measured
 * with `pnpm bench` at 64 connections: 4 MB spent about 7 % of the API's CPU in
 * scavenges and 8 MB about 4 %; 16 MB took the peak memory past the 250 MB target.
 */
export const API_NODE_ARGS = ['--max-semi-space-size=8'] as const;

const API_BUNDLE = fileURLToPath(new URL('../dist/main.mjs', import.meta.url));
const BUNDLE_SCRIPT = fileURLToPath(new URL('./bundle.ts', import.meta.url));
let bundled = false;

/**
 * The bundle, built once per harness process from the sources as they are now (never a
 * stale one from an earlier build). esbuild's plugins need its asynchronous API, and
 * spawnApi is synchronous: the build runs as a child process, waited for.
 */
function apiBundle(): string {
  if (!bundled) {
    execFileSync(process.execPath, ['--import', 'tsx', BUNDLE_SCRIPT], {
      cwd: API_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    bundled = true;
  }
  return API_BUNDLE;
}

export function spawnApi({ env, stdio, cwd = API_DIR }: SpawnApiOptions): ChildProcess {
  return spawn(process.execPath, [...API_NODE_ARGS, apiBundle()], {
    cwd,
    stdio,
    // The harness credential unless this process's environment or the caller names another.
    env: { ...HARNESS_API_ENV, ...childEnvironment(env) },
  });
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Polls /healthz until it says 200; fails at once if the process exits, and past `timeoutMs`. */
export async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(
        `the API at ${baseUrl} exited while starting (${child.exitCode ?? child.signalCode})`,
      );
    }
    const healthy = await fetch(`${baseUrl}/healthz`, {
      signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await sleep(HEALTH_POLL_MS);
  }
  throw new Error(`the API at ${baseUrl} was not healthy within ${timeoutMs} ms`);
}

/** Sends `signal` unless the process is gone, and waits for its exit, at most `timeoutMs`. */
export async function signalAndWait(
  child: ChildProcess,
  signal: NodeJS.Signals,
  what: string,
  timeoutMs = KILL_TIMEOUT_MS,
): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await withDeadline(exited, timeoutMs, `${what} exit after ${signal}`);
}

/**
 * SIGTERM (graceful: main.ts finishes requests in flight and closes the pool), then
 * SIGKILL if it has not exited within `graceMs`. Resolves to whether the graceful stop
 * finished in time.
 */
export function stopApi(child: ChildProcess, graceMs: number, what = 'the API'): Promise<boolean> {
  return signalAndWait(child, 'SIGTERM', what, graceMs).then(
    () => true,
    () => signalAndWait(child, 'SIGKILL', what).then(() => false),
  );
}

/** Settles as `promise` does, or rejects once `timeoutMs` have passed. */
export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return settleWithin(promise, timeoutMs, () => {
    throw new Error(`${what} took longer than ${timeoutMs} ms`);
  });
}
