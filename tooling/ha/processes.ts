import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { POSTGRES_BIN_DIR, SUPERUSER, type NodeSpec } from './config';

/**
 * The operating-system side of the cluster: the system user its processes run as, psql
 * on a node's socket, the postmaster's pid and process group, signals, and waiting.
 */

const POLL_MS = 200;
const SYSTEM_USER = 'postgres';

/** psql over the node's Unix socket (trusted locally), Debian's, of the server's version. */
export function runPsql(node: NodeSpec, database: string, sql: string): string {
  return execFileSync(
    path.join(POSTGRES_BIN_DIR, 'psql'),
    [
      '-h',
      path.dirname(node.configFile),
      '-p',
      String(node.postgresPort),
      '-U',
      SUPERUSER,
      '-d',
      database,
    ],
    { input: sql, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

export function psqlSucceeds(node: NodeSpec, database: string, sql: string): boolean {
  try {
    runPsql(node, database, sql);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `condition` says true; rejects past `timeoutMs`. */
export async function waitFor(
  timeoutMs: number,
  what: string,
  condition: () => Promise<boolean>,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return;
    await sleep(POLL_MS);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

let cachedUser: { uid: number; gid: number } | null | undefined;

/** The `postgres` system user when this process is root (created if missing); else none. */
export function systemUser(): { uid: number; gid: number } | undefined {
  if (cachedUser !== undefined) return cachedUser ?? undefined;
  if (process.getuid?.() !== 0) {
    cachedUser = null;
    return undefined;
  }
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' }));
  try {
    id('-u');
  } catch {
    execFileSync('useradd', ['--system', '--user-group', SYSTEM_USER]);
  }
  cachedUser = { uid: id('-u'), gid: id('-g') };
  return cachedUser;
}

export function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function postmasterRunning(dataDir: string): boolean {
  const pid = postmasterPid(dataDir);
  return pid !== undefined && isAlive(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * SIGKILL to the postmaster's process group: the postmaster and every backend at once, as
 * when the machine dies. (Patroni starts PostgreSQL in a session of its own, whose leader
 * is an intermediate process that has exited, so the group is not numbered by `pid`.)
 */
export function killGroup(pid: number): void {
  const group = processGroupOf(pid);
  if (group !== undefined && group > 1) killProcess(-group, 'SIGKILL');
  killProcess(pid, 'SIGKILL');
}

/** /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses. */
function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return Number.isInteger(group) ? group : undefined;
  } catch {
    return undefined;
  }
}
