import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import postgres from 'postgres';

import { freePort } from './testing';

/**
 * A real PostgreSQL primary and a real streaming replica of it, for tests, from the
 * server binaries of the machine (Debian's `postgresql` package: initdb, pg_ctl,
 * pg_basebackup; the embedded package ships no pg_basebackup). The replica is made the
 * way an operator makes one: `pg_basebackup -R` from the running primary, then started
 * in hot standby. Everything lives in a temporary folder that stop() removes.
 */

const run = promisify(execFile);
const STARTUP_TIMEOUT_S = 60;
const USER = 'postgres';

export interface ReplicatedPostgres {
  primaryUrl: string;
  replicaUrl: string;
  /** Stops WAL replay on the replica: it keeps answering, with ever older data. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Stops both servers and removes their folder. */
  stop(): Promise<void>;
}

/** The folder of the newest PostgreSQL binaries installed, or PG_BIN_DIR's. */
export function findPostgresBinaries(override?: string): string | undefined {
  if (override) return existsSync(path.join(override, 'pg_basebackup')) ? override : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'pg_basebackup'))) return bin;
  }
  return undefined;
}

export interface ReplicatedPostgresOptions {
  /**
   * 'off' acknowledges a commit before its WAL is written: the strictest case for a read
   * that must see every acknowledged write (the replica cannot have what is not written).
   */
  synchronousCommit?: 'on' | 'off';
}

export async function startReplicatedPostgres(
  binDir: string,
  options: ReplicatedPostgresOptions = {},
): Promise<ReplicatedPostgres> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-replica-'));
  await chmod(folder, 0o755);
  const owner = await systemUser();
  const primaryDir = path.join(folder, 'primary');
  const replicaDir = path.join(folder, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const bin = (name: string) => path.join(binDir, name);
  // PostgreSQL refuses to run as root: as root, its programs run as the postgres user.
  const asServerUser = async (file: string, args: string[]) => {
    await run(file, args, { uid: owner?.uid, gid: owner?.gid, cwd: folder });
  };
  const pgCtl = (dataDir: string, port: number, action: 'start' | 'stop') =>
    asServerUser(bin('pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      path.join(folder, `${path.basename(dataDir)}.log`),
      '-w',
      '-t',
      String(STARTUP_TIMEOUT_S),
      ...(action === 'start'
        ? ['-o', `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1`]
        : ['-m', 'fast']),
      action,
    ]);

  for (const dir of [primaryDir, replicaDir]) {
    await mkdir(dir, { mode: 0o700 });
    if (owner) await chown(dir, owner.uid, owner.gid);
  }
  if (owner) await chown(folder, owner.uid, owner.gid);
  await asServerUser(bin('initdb'), [
    '-D',
    primaryDir,
    '-U',
    USER,
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  await appendFile(
    path.join(primaryDir, 'postgresql.conf'),
    [
      'wal_level = replica',
      'max_wal_senders = 4',
      'hot_standby = on',
      // Tests need no durability: the servers are thrown away.
      'fsync = off',
      `synchronous_commit = ${options.synchronousCommit ?? 'on'}`,
      'full_page_writes = off',
      '',
    ].join('\n'),
  );
  await pgCtl(primaryDir, primaryPort, 'start');
  await asServerUser(bin('pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    USER,
    '-D',
    replicaDir,
    '-R',
    '-X',
    'stream',
  ]);
  await pgCtl(replicaDir, replicaPort, 'start');

  const primaryUrl = `postgres://${USER}@127.0.0.1:${primaryPort}/postgres`;
  const replicaUrl = `postgres://${USER}@127.0.0.1:${replicaPort}/postgres`;
  const onReplica = async (statement: string) => {
    const sql = postgres(replicaUrl, { max: 1, onnotice: () => undefined });
    try {
      await sql.unsafe(statement);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  let replicaRunning = true;
  return {
    primaryUrl,
    replicaUrl,
    pauseReplay: () => onReplica('SELECT pg_wal_replay_pause()'),
    resumeReplay: () => onReplica('SELECT pg_wal_replay_resume()'),
    stopReplica: async () => {
      await pgCtl(replicaDir, replicaPort, 'stop');
      replicaRunning = false;
    },
    startReplica: async () => {
      await pgCtl(replicaDir, replicaPort, 'start');
      replicaRunning = true;
    },
    stop: async () => {
      if (replicaRunning) await pgCtl(replicaDir, replicaPort, 'stop');
      await pgCtl(primaryDir, primaryPort, 'stop');
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The postgres system user when we are root (it then runs the servers); else none. */
async function systemUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', USER]),
    run('id', ['-g', USER]),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
