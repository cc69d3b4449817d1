import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { migrateDatabase } from '@wallet/db';
import { freePort } from '@wallet/testing';

import { checkHistory, isAcknowledged, type CheckReport } from './checker';
import { createEndpoint, type Endpoint } from './clients';
import { ApiNode, DatabaseNode, type Log } from './cluster';
import { readBankEnv, type BankEnv } from './env';
import { readFinalState } from './final-state';
import { formatSeconds, History } from './history';
import { guardProcess, Resources } from './lifecycle';
import { runNemesis } from './nemesis';
import type { OpContext } from './operations';
import { PROFILES, type Profile } from './profiles';
import { Random } from './random';
import { printSummary } from './summary';
import { cliProblems, runVerifyCli } from './verify-cli';
import { checkWebhooks, type WebhookFigures } from './webhook-checks';
import {
  readSnapshot,
  registerReceiver,
  waitForDeliveries,
  WEBHOOK_TEST_API_ENV,
} from './webhook-proof';
import { WebhookReceiver } from './webhook-receiver';
import { runClients, setUpWallets } from './workload';

/**
 * `pnpm test:bank`: a Jepsen-style bank test. Two API processes on one PostgreSQL, many
 * clients moving money over REST and tRPC with retries, faults on a schedule (kill -9 of
 * an API process, a PostgreSQL restart, client timeouts shorter than requests), then a
 * checker over the recorded history and the final state. A webhook receiver of its own gets
 * every event (answering 500 to a few, so retries run); the events it got must be the
 * outbox's, all signed, and replay to the final balances. Exits 0 only with 0 violations;
 * leaves nothing running and nothing on disk.
 */

/** How long after a fault healed a 503 still counts as caused by it (see checker.ts). */
const FAULT_GRACE_MS = 5_000;
const PROGRESS_EVERY_MS = 5_000;
/** The receiver answers 500 to this fraction of deliveries: their retries are exercised. */
const RECEIVER_FAILURE_PROBABILITY = 0.02;
/** Its choices have their own stream, so that they do not shift the workload's. */
const RECEIVER_SEED_SALT = 0x5bd1_e995;
/** After the workload, how long the receiver may take to get the last events. */
const WEBHOOK_DELIVERY_TIMEOUT_MS = 60_000;

const now = () => performance.now();
const log: Log = (message) => {
  console.log(`[${formatSeconds(now())}] ${message}`);
};

interface Crash {
  api: number;
  at: number;
  recoveredAt: number | undefined;
  detail: string;
}

interface Cluster {
  database: DatabaseNode;
  apis: ApiNode[];
  endpoints: Endpoint[];
  crashes: Crash[];
}

async function startCluster(
  profile: Profile,
  env: BankEnv,
  resources: Resources,
): Promise<Cluster> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-bank-'));
  resources.holdFolder(folder);
  await chmod(folder, 0o755); // the postgres system user must reach it when we are root
  const forward = env.BANK_VERBOSE === '1' ? log : undefined;
  const database = new DatabaseNode(path.join(folder, 'data'), await freePort(), forward);
  resources.holdDatabase(database);
  await database.start();
  await migrateDatabase(database.url);
  log(`PostgreSQL up on port ${database.port}, migrated`);
  const crashes: Crash[] = [];
  const apis: ApiNode[] = [];
  for (let index = 0; index < profile.apiCount; index++) {
    const api = new ApiNode({
      index,
      port: await freePort(),
      databaseUrl: () => database.url,
      poolMax: profile.poolMax,
      forward,
      env: WEBHOOK_TEST_API_ENV,
      onCrash: ({ api: which, code, signal }) => {
        const detail = `api-${which} exited by itself at ${formatSeconds(now())} (code ${code}, signal ${signal})`;
        crashes.push({ api: which, at: now(), recoveredAt: undefined, detail });
        log(`${detail}; starting it again`);
      },
      onRecovered: (which) => {
        const crash = crashes.findLast((c) => c.api === which && c.recoveredAt === undefined);
        if (crash) crash.recoveredAt = now();
        log(`api-${which} is healthy again after its crash`);
      },
    });
    resources.holdApi(api);
    apis.push(api);
  }
  await Promise.all(apis.map((api) => api.start()));
  log(`API processes healthy: ${apis.map((api) => api.baseUrl).join(', ')}`);
  const endpoints = apis.map((api, index) => createEndpoint(index, api.baseUrl));
  return { database, apis, endpoints, crashes };
}

async function runWorkload(
  cluster: Cluster,
  context: OpContext,
  random: Random,
  stop: AbortController,
): Promise<{ wallets: string[]; workloadMs: number }> {
  const { profile, history } = context;
  const runId = randomBytes(4).toString('hex');
  const workload = await setUpWallets(context, runId, random);
  log(
    `${workload.wallets.length} wallets funded; ${profile.clientCount} clients for ${profile.durationMs / 1000} s`,
  );
  const startedAt = now();
  const progress = setInterval(() => {
    const acknowledged = history.writes().filter(isAcknowledged).length;
    log(`progress: ${history.ops.length} ops, ${acknowledged} writes acknowledged`);
  }, PROGRESS_EVERY_MS);
  try {
    const nemesisContext = { database: cluster.database, apis: cluster.apis, history, now, log };
    const nemesis = runNemesis(nemesisContext, profile.faults, startedAt, stop.signal).catch(
      (error: unknown) => {
        stop.abort(); // the cluster cannot be trusted any more: stop the clients too
        throw error;
      },
    );
    const clients = runClients(
      context,
      workload,
      random,
      startedAt + profile.durationMs,
      stop.signal,
    );
    await Promise.all([
      clients.then(() => {
        stop.abort();
      }),
      nemesis,
    ]);
  } finally {
    clearInterval(progress);
  }
  // Every process up again (a crashed one may still be on its way) before the final reads.
  await Promise.all(cluster.apis.map((api) => api.start()));
  for (const crash of cluster.crashes) {
    const recoveredAt = crash.recoveredAt ?? now();
    history.fault({
      kind: 'api-crash',
      target: `api-${crash.api}`,
      startedAt: crash.at,
      recoveredAt,
    });
  }
  return { wallets: workload.wallets, workloadMs: now() - startedAt };
}

async function judge(
  cluster: Cluster,
  history: History,
  profile: Profile,
  wallets: string[],
  receiver: WebhookReceiver,
): Promise<{ report: CheckReport; webhooks: WebhookFigures }> {
  const final = await readFinalState(cluster.endpoints, wallets, log);
  log(`final state read: ${final.verify.entryCount} entries; running ledger:verify`);
  const cli = await runVerifyCli(cluster.database.url);
  const report: CheckReport = checkHistory({
    history,
    final,
    walletCount: profile.walletCount,
    graceMs: FAULT_GRACE_MS,
    requestTimeoutMs: profile.requestTimeoutMs,
    crashes: cluster.crashes.map((crash) => crash.detail),
  });
  for (const problem of cliProblems(cli)) {
    report.violations.push({ check: 'ledger:verify CLI clean', detail: problem });
  }
  const snapshot = await readSnapshot(cluster.endpoints, wallets);
  const wait = await waitForDeliveries(
    cluster.endpoints,
    receiver,
    WEBHOOK_DELIVERY_TIMEOUT_MS,
    log,
  );
  log(
    `webhooks: ${wait.outbox.length - wait.missing.length} of ${wait.outbox.length} events received`,
  );
  const webhooks = checkWebhooks({ receiver, snapshot, wait, final: final.wallets });
  report.violations.push(...webhooks.violations);
  return { report, webhooks: webhooks.figures };
}

async function main(env: BankEnv, resources: Resources, stop: AbortController): Promise<number> {
  const profile = PROFILES[env.BANK_PROFILE];
  const seed = env.BANK_SEED ?? randomInt(0, 0xffff_ffff);
  log(`bank test: profile ${profile.name}, seed ${seed}`);
  const random = new Random(seed);
  const cluster = await startCluster(profile, env, resources);
  const receiverRandom = new Random(seed ^ RECEIVER_SEED_SALT);
  const receiver = await WebhookReceiver.start({
    answer: () => (receiverRandom.chance(RECEIVER_FAILURE_PROBABILITY) ? 500 : 200),
  });
  resources.holdReceiver(receiver);
  await registerReceiver(cluster.endpoints, receiver);
  log(`webhook receiver on ${receiver.url}, registered for every event`);
  const history = new History();
  const context: OpContext = { endpoints: cluster.endpoints, profile, history, now };
  const { wallets, workloadMs } = await runWorkload(cluster, context, random, stop);
  const { report, webhooks } = await judge(cluster, history, profile, wallets, receiver);
  if (env.BANK_HISTORY_FILE) {
    await writeFile(env.BANK_HISTORY_FILE, history.toJson());
    log(`history written to ${env.BANK_HISTORY_FILE}`);
  }
  const logs = [
    { name: 'postgres', tail: cluster.database.log },
    ...cluster.apis.map((api, index) => ({ name: `api-${index}`, tail: api.log })),
  ];
  if (report.violations.length > 0) {
    for (const { name, tail } of logs)
      console.log(`--- last lines of ${name}:\n${tail.lines.join('\n')}`);
  }
  printSummary({ profile, seed, wallMs: now(), workloadMs, history, report, logs, webhooks });
  return report.violations.length === 0 ? 0 : 1;
}

const env = readBankEnv();
const resources = new Resources(log);
const stop = new AbortController();
const run = { interrupted: false };
guardProcess(resources, log, () => {
  run.interrupted = true;
  stop.abort();
});
let exitCode = 1;
try {
  exitCode = await main(env, resources, stop);
} catch (error) {
  // Once interrupted, what fails next is the interruption's doing, not the harness's.
  if (!run.interrupted) {
    log(
      `harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
} finally {
  await resources.release();
}
log(exitCode === 0 ? 'bank test passed' : 'bank test FAILED');
// Explicitly: left to drain, the event loop would end in the harness's `beforeExit` guard.
process.exit(exitCode);
