import { execFile } from 'node:child_process';
import {
  appendFile,
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import postgres from 'postgres';

import { embeddedBinariesFolder, makeTraversable } from '@wallet/db';

import { freePort } from './database';

/**
 * A real PostgreSQL primary and a real streaming replica of it, for tests, run with the
 * embedded package's server programs (PostgreSQL 17: initdb, pg_ctl, postgres), so the
 * tests need nothing installed. That package ships no pg_basebackup, so the replica is
 * made with PostgreSQL's low-level base backup API, as its documentation describes:
 * a physical replication slot, `pg_backup_start`, a copy of the data folder,
 * `pg_backup_stop` and its backup label, then `standby.signal` and `primary_conninfo`;
 * started in hot standby, it streams from the primary through the slot. Everything lives
 * in a temporary folder that stop() removes.
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

export interface ReplicatedPostgresOptions {
  /**
   * 'off' acknowledges a commit before its WAL is written: the strictest case for a read
   * that must see every acknowledged write (the replica cannot have what is not written).
   */
  synchronousCommit?: 'on' | 'off';
}

export async function startReplicatedPostgres(
  options: ReplicatedPostgresOptions = {},
): Promise<ReplicatedPostgres> {
  const binDir = embeddedBinariesFolder();
  const owner = await systemUser();
  if (owner) await makeTraversable(binDir);
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-replica-'));
  await chmod(folder, 0o755);
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
  const primaryUrl = `postgres://${USER}@127.0.0.1:${primaryPort}/postgres`;
  await baseBackup(primaryUrl, primaryDir, replicaDir, owner);
  await appendFile(
    path.join(replicaDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=${USER}'\n` +
      `primary_slot_name = '${SLOT}'\n`,
  );
  await writeFile(path.join(replicaDir, 'standby.signal'), '');
  if (owner) await chownTree(replicaDir, owner);
  await pgCtl(replicaDir, replicaPort, 'start');

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

const SLOT = 'wallet_test_replica';

/**
 * A base backup of the running primary into `replicaDir` with the low-level API: the
 * backup starts and stops in one session, the copy is taken in between, and the label
 * pg_backup_stop returns tells the replica where to start replaying. The slot keeps the
 * WAL from then on until the replica has streamed it.
 */
async function baseBackup(
  primaryUrl: string,
  primaryDir: string,
  replicaDir: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const sql = postgres(primaryUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`SELECT pg_create_physical_replication_slot(${SLOT}, true)`;
    await sql.begin(async (session) => {
      await session`SELECT pg_backup_start('wallet test replica', true)`;
      await cp(primaryDir, replicaDir, {
        recursive: true,
        // What a base backup leaves out: the server's own run files and its WAL.
        filter: (source) => {
          const relative = path.relative(primaryDir, source);
          return !(
            ['postmaster.pid', 'postmaster.opts'].includes(relative) ||
            /^(pg_wal|pg_replslot|pg_stat_tmp)[/]/.test(relative)
          );
        },
      });
      const [stopped] = await session<{ labelfile: string }[]>`
        SELECT labelfile FROM pg_backup_stop(true)`;
      if (!stopped) throw new Error('pg_backup_stop returned no backup label');
      await writeFile(path.join(replicaDir, 'backup_label'), stopped.labelfile);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
  if (owner) await chownTree(replicaDir, owner);
}

async function chownTree(dir: string, owner: { uid: number; gid: number }): Promise<void> {
  await chown(dir, owner.uid, owner.gid);
  for (const entry of await readdir(dir, { recursive: true })) {
    await chown(path.join(dir, entry), owner.uid, owner.gid);
  }
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
