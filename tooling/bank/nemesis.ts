import { setTimeout as sleep } from 'node:timers/promises';

import type { ApiNode, DatabaseNode, Log } from './cluster';
import type { FaultEvent, History } from './history';
import type { Fault, PlannedFault } from './profiles';

/**
 * The fault injector: at each planned moment it breaks one thing and waits until that
 * thing is back (an API process healthy again, PostgreSQL accepting connections again),
 * recording each fault's window for the checker. Faults never overlap.
 */

export interface NemesisContext {
  database: DatabaseNode;
  apis: ApiNode[];
  history: History;
  now: () => number;
  log: Log;
}

export async function runNemesis(
  context: NemesisContext,
  plan: PlannedFault[],
  workloadStartedAt: number,
  signal: AbortSignal,
): Promise<void> {
  for (const { atMs, fault } of plan) {
    const waitMs = workloadStartedAt + atMs - context.now();
    try {
      if (waitMs > 0) await sleep(waitMs, undefined, { signal });
    } catch {
      return; // the run is over or cut short
    }
    if (signal.aborted) return;
    await inject(context, fault);
  }
}

async function inject(context: NemesisContext, fault: Fault): Promise<void> {
  switch (fault.kind) {
    case 'kill-api':
      return killApis(context, [fault.api]);
    case 'kill-all-apis':
      return killApis(
        context,
        context.apis.map((_api, index) => index),
      );
    case 'db-restart':
      return restartDatabase(context, fault.downMs);
  }
}

async function killApis(context: NemesisContext, indexes: number[]): Promise<void> {
  const { apis, history, now, log } = context;
  const targets = indexes.map((index) => {
    const api = apis[index];
    if (!api) throw new Error(`no API process ${index}`);
    return { index, api };
  });
  const startedAt = now();
  await Promise.all(targets.map(({ api }) => api.kill9()));
  log(`fault: kill -9 ${targets.map(({ index }) => `api-${index}`).join(', ')}`);
  await Promise.all(targets.map(({ api }) => api.start()));
  const recoveredAt = now();
  for (const { index } of targets) {
    history.fault({ kind: 'kill-api', target: `api-${index}`, startedAt, recoveredAt });
  }
  log(`fault healed: restarted after ${ms(recoveredAt - startedAt)}`);
}

async function restartDatabase(context: NemesisContext, downMs: number): Promise<void> {
  const { database, history, now, log } = context;
  const startedAt = now();
  log(`fault: stopping PostgreSQL for ${downMs} ms`);
  await database.restart(downMs);
  const recoveredAt = now();
  const event: FaultEvent = { kind: 'db-restart', target: 'postgres', startedAt, recoveredAt };
  history.fault(event);
  log(`fault healed: PostgreSQL accepting connections after ${ms(recoveredAt - startedAt)}`);
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
