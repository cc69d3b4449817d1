import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from '@wallet/testing';

import { hasExited, waitForHealth, withDeadline } from './api-process';
import { HARNESS_API_ENV } from './harness-auth';
import { childEnvironment } from './env';

/**
 * The whole service started exactly as the README's quick start starts it: `pnpm start`
 * at the checkout's root (turbo builds the API bundle and the dashboard, then runs both),
 * on the embedded PostgreSQL. Only documented settings differ from a first start: a data
 * folder and ports of its own (so a user's `.data/postgres` is never touched), the
 * harness's admin key, and the per-key rate limit lifted (a load run measures the ledger,
 * not the limiter). Its output goes to a log file; it is stopped as Ctrl-C stops it.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const START_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 30_000;
const EMBEDDED_PASSWORD = 'wallet-local';

export interface QuickStart {
  apiUrl: string;
  webUrl: string;
  /** The embedded PostgreSQL's service database, for the raw floors. */
  databaseUrl: string;
  /** The API process (the bundle under node), for its memory. */
  apiPid: number;
  /** Everything `pnpm start` has printed so far. */
  readLog(): Promise<string>;
  stop(): Promise<void>;
}

/** The quick start's environment: documented settings only, on a folder and ports of its own. */
async function quickStartEnv(folder: string, extraEnv: Record<string, string>) {
  const [port, webPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const env = childEnvironment({
    ...HARNESS_API_ENV,
    EMBEDDED_PG_DIR: path.join(folder, 'postgres'),
    EMBEDDED_PG_PORT: String(pgPort),
    PORT: String(port),
    WEB_PORT: String(webPort),
    API_URL: `http://127.0.0.1:${port}`,
    ...extraEnv,
  });
  return { env, port, webPort, pgPort };
}

async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-quick-start-'));
  await chmod(folder, 0o755); // the postgres system user must reach its data when we are root
  return folder;
}

/**
 * `pnpm start` that is expected to stop by itself (a wrong setting): its exit code and
 * everything it printed, or an error past `timeoutMs`.
 */
export async function runQuickStartToExit(
  extraEnv: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const folder = await temporaryFolder();
  const { env } = await quickStartEnv(folder, extraEnv);
  const child = spawn('pnpm', ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    const [code] = (await withDeadline(once(child, 'exit'), timeoutMs, 'pnpm start')) as [
      number | null,
    ];
    return { code, output };
  } finally {
    await stopGroup(child);
    await rm(folder, { recursive: true, force: true });
  }
}

export async function startQuickStart(extraEnv: Record<string, string> = {}): Promise<QuickStart> {
  const folder = await temporaryFolder();
  const { env, port, webPort, pgPort } = await quickStartEnv(folder, extraEnv);
  const logFile = path.join(folder, 'pnpm-start.log');
  const log = createWriteStream(logFile);
  const child = spawn('pnpm', ['start'], {
    cwd: ROOT,
    detached: true, // its own process group, stopped whole as a terminal's Ctrl-C stops it
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = () => stopGroup(child).finally(() => rm(folder, { recursive: true, force: true }));
  const readLog = () => readFile(logFile, 'utf8');
  try {
    const apiUrl = `http://127.0.0.1:${port}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    await waitForHealth(apiUrl, child, START_TIMEOUT_MS);
    await waitForPage(`${webUrl}/sign-in`, child, START_TIMEOUT_MS);
    return {
      apiUrl,
      webUrl,
      databaseUrl: `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${pgPort}/wallet`,
      apiPid: await apiProcessOn(port),
      readLog,
      stop,
    };
  } catch (error) {
    console.error(await readFile(logFile, 'utf8').catch(() => ''));
    await stop();
    throw error;
  }
}

async function waitForPage(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (hasExited(child)) throw new Error('pnpm start exited before the dashboard answered');
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the dashboard at ${url} did not answer within ${timeoutMs} ms`);
}

/** The node process running the API bundle with PORT=port (Linux /proc). */
async function apiProcessOn(port: number): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [cmdline, environ] = await Promise.all([
      readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''),
      readFile(`/proc/${entry}/environ`, 'utf8').catch(() => ''),
    ]);
    const [program = '', ...args] = cmdline.split('\0');
    const isNode = path.basename(program) === 'node' || program === process.execPath;
    const runsApi = args.some((arg) => arg.endsWith('dist/main.mjs'));
    if (isNode && runsApi && environ.split('\0').includes(`PORT=${port}`)) {
      return Number(entry);
    }
  }
  throw new Error(`no API process on port ${port}`);
}

/** SIGINT to the whole group (as Ctrl-C), then SIGKILL past the timeout. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || hasExited(child)) return;
  const exited = once(child, 'exit');
  process.kill(-pid, 'SIGINT');
  try {
    await withDeadline(exited, STOP_TIMEOUT_MS, 'pnpm start');
  } catch {
    process.kill(-pid, 'SIGKILL');
  }
}
