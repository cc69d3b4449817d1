import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  DATABASE_NAME,
  databaseUrl,
  ETCD_BIN,
  etcdArgs,
  PATRONI_BIN,
  patroniConfig,
  type ClusterSpec,
  type NodeSpec,
} from './config';
import {
  isAlive,
  killGroup,
  killProcess,
  postmasterPid,
  postmasterRunning,
  psqlSucceeds,
  runPsql,
  systemUser,
  waitFor,
} from './processes';

export { isAlive, waitFor } from './processes';

/**
 * A three-node PostgreSQL cluster under Patroni with one etcd, on this machine: started,
 * watched through Patroni's REST API, broken (kill -9) and mended. Each process writes
 * its output to a log file in the cluster's folder; PostgreSQL, Patroni and etcd run as
 * the `postgres` system user when this process is root (PostgreSQL refuses root).
 */

const POLL_MS = 200;
const REST_TIMEOUT_MS = 1_000;
const STOP_GRACE_MS = 20_000;
const START_DATABASE_TIMEOUT_MS = 30_000;

/** A member as Patroni's GET /cluster lists it. */
export interface Member {
  name: string;
  role: string;
  state: string;
  timeline?: number;
  lag?: number | string;
}

/** Patroni's roles for the primary, named `leader` in /cluster. */
const LEADER_ROLES = new Set(['leader', 'master', 'primary']);

export function isLeader(member: Member): boolean {
  return LEADER_ROLES.has(member.role);
}

export interface ProcessIds {
  etcd: number | undefined;
  patroni: Record<string, number | undefined>;
}

export class PatroniCluster {
  readonly pids: ProcessIds = { etcd: undefined, patroni: {} };

  constructor(
    readonly spec: ClusterSpec,
    /** Detached processes outlive this one (`pnpm ha:up`); attached ones are the test's. */
    private readonly detached: boolean,
  ) {}

  get url(): string {
    return databaseUrl(this.spec);
  }

  /** etcd, then three Patronis; resolves once a leader and two standbys, one synchronous, run. */
  async start(timeoutMs: number): Promise<void> {
    await this.prepareFolders();
    await mkdir(this.spec.etcdDataDir, { recursive: true });
    await this.ownFolder();
    this.pids.etcd = this.spawnLogged(ETCD_BIN, etcdArgs(this.spec), this.spec.etcdLogFile);
    await waitFor(timeoutMs, 'etcd healthy', () => this.etcdHealthy());
    for (const node of this.spec.nodes) this.startNode(node);
    await this.waitHealthy(timeoutMs);
    await this.createDatabase();
  }

  startNode(node: NodeSpec): void {
    this.pids.patroni[node.name] = this.spawnLogged(PATRONI_BIN, [node.configFile], node.logFile);
  }

  /** kill -9 of the node's postmaster and every backend (Patroni starts it in its own group). */
  killPostgres(node: NodeSpec): number | undefined {
    const pid = postmasterPid(node.dataDir);
    if (pid !== undefined) killGroup(pid);
    return pid;
  }

  /** kill -9 of the node's Patroni and its PostgreSQL together: the machine is gone. */
  killNode(node: NodeSpec): void {
    const patroni = this.pids.patroni[node.name];
    if (patroni !== undefined) killProcess(patroni, 'SIGKILL');
    this.pids.patroni[node.name] = undefined;
    this.killPostgres(node);
  }

  async members(): Promise<Member[]> {
    for (const node of this.spec.nodes) {
      try {
        const response = await fetch(`http://127.0.0.1:${node.restPort}/cluster`, {
          signal: AbortSignal.timeout(REST_TIMEOUT_MS),
        });
        if (!response.ok) continue;
        const body = (await response.json()) as { members?: Member[] };
        return body.members ?? [];
      } catch {
        // That node's Patroni is down: ask the next.
      }
    }
    return [];
  }

  async leader(): Promise<NodeSpec | undefined> {
    const leader = (await this.members()).find(isLeader);
    return this.spec.nodes.find((node) => node.name === leader?.name);
  }

  /**
   * Healthy: a leader running, and every other node a running standby on the leader's
   * timeline, at least one of them synchronous. (A node that has just come back is not
   * healthy until it follows the new leader's timeline: pg_rewind and all.)
   */
  async healthy(): Promise<boolean> {
    const members = await this.members();
    const leader = members.find(isLeader);
    if (!leader || leader.state !== 'running' || members.length !== this.spec.nodes.length) {
      return false;
    }
    const standbys = members.filter((member) => member !== leader);
    const following = standbys.every(
      (member) =>
        ['running', 'streaming'].includes(member.state) && member.timeline === leader.timeline,
    );
    return following && standbys.some((member) => member.role === 'sync_standby');
  }

  waitHealthy(timeoutMs: number): Promise<void> {
    return waitFor(timeoutMs, 'the cluster healthy (a leader, two standbys, one synchronous)', () =>
      this.healthy(),
    );
  }

  /** SIGTERM to every Patroni (each stops its PostgreSQL), then etcd; SIGKILL what lingers. */
  async stop(): Promise<void> {
    const nodes = this.spec.nodes;
    for (const node of nodes) {
      const pid = this.pids.patroni[node.name];
      if (pid !== undefined) killProcess(pid, 'SIGTERM');
    }
    const deadline = performance.now() + STOP_GRACE_MS;
    const stillRunning = () =>
      nodes.some((node) => {
        const pid = this.pids.patroni[node.name];
        return (pid !== undefined && isAlive(pid)) || postmasterRunning(node.dataDir);
      });
    while (stillRunning() && performance.now() < deadline) await sleep(POLL_MS);
    for (const node of nodes) this.killNode(node);
    if (this.pids.etcd !== undefined) {
      killProcess(this.pids.etcd, 'SIGTERM');
      const etcd = this.pids.etcd;
      await waitFor(STOP_GRACE_MS, 'etcd to exit', () => Promise.resolve(!isAlive(etcd))).catch(
        () => {
          killProcess(etcd, 'SIGKILL');
        },
      );
      this.pids.etcd = undefined;
    }
  }

  /** For the `exit` event, where nothing asynchronous runs any more. */
  killSync(): void {
    for (const node of this.spec.nodes) this.killNode(node);
    if (this.pids.etcd !== undefined) killProcess(this.pids.etcd, 'SIGKILL');
  }

  logTail(file: string, lines: number): string {
    try {
      return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private async prepareFolders(): Promise<void> {
    for (const node of this.spec.nodes) {
      await mkdir(path.dirname(node.configFile), { recursive: true });
      await writeFile(node.configFile, JSON.stringify(patroniConfig(this.spec, node), null, 2));
    }
  }

  /** The system user must own the folders its processes write (data, logs, pgpass). */
  private async ownFolder(): Promise<void> {
    const user = systemUser();
    if (!user) return;
    const folders = [
      this.spec.folder,
      this.spec.etcdDataDir,
      ...this.spec.nodes.map((n) => path.dirname(n.configFile)),
    ];
    for (const folder of folders) await chown(folder, user.uid, user.gid);
    for (const node of this.spec.nodes) await chown(node.configFile, user.uid, user.gid);
  }

  private spawnLogged(command: string, args: string[], logFile: string): number {
    const user = systemUser();
    const output = openSync(logFile, 'a');
    try {
      const child = spawn(command, args, {
        detached: this.detached,
        stdio: ['ignore', output, output],
        cwd: this.spec.folder,
        env: { PATH: '/usr/bin:/bin', HOME: this.spec.folder, LANG: 'C.UTF-8' },
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      });
      if (this.detached) child.unref();
      if (child.pid === undefined) throw new Error(`${command} did not start`);
      return child.pid;
    } finally {
      closeSync(output);
    }
  }

  private async etcdHealthy(): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.spec.ports.etcdClient}/health`, {
        signal: AbortSignal.timeout(REST_TIMEOUT_MS),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** Over the leader's Unix socket (trusted locally), with Debian's psql of the same version. */
  private async createDatabase(): Promise<void> {
    const leader = await this.leader();
    if (!leader) throw new Error('no leader to create the database on');
    const psql = (sql: string) => runPsql(leader, 'postgres', sql);
    const found = psql(`select 'found' from pg_database where datname = '${DATABASE_NAME}'`);
    if (!found.includes('found')) psql(`create database ${DATABASE_NAME}`);
    // A connection to a standby that has not replayed it yet would fail ("does not exist")
    // before postgres.js could move on to the next host.
    for (const node of this.spec.nodes) {
      await waitFor(START_DATABASE_TIMEOUT_MS, `${DATABASE_NAME} on ${node.name}`, () =>
        Promise.resolve(psqlSucceeds(node, DATABASE_NAME, 'select 1')),
      );
    }
  }
}
