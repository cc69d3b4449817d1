import { randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { migrateDatabase } from '@wallet/db';
import { freePort } from '@wallet/testing';

import { PatroniCluster } from '@wallet/ha/cluster';
import { clusterSpec, nodeUrl } from '@wallet/ha/config';
import { missingTools } from '@wallet/ha/tools';
import { checkHistory, isAcknowledged, type CheckReport, type Violation } from './checker';
import { createEndpoint } from './clients';
import { ApiNode, type Log } from './cluster';
import { readBankEnv } from './env';
import { readFinalState } from './final-state';
import { formatSeconds, History } from './history';
import { guardProcess, Resources } from './lifecycle';
import { ms, roundFigures, runRounds, type RoundFigures, type RoundKind } from './failover-rounds';
import type { OpContext } from './operations';
import { FAILOVER_PROFILE } from './profiles';
import { Random } from './random';
import { printSummary } from './summary';
import { cliProblems, runVerifyCli } from './verify-cli';
import { runClients, setUpWallets } from './workload';

/**
 * `pnpm test:failover`: the bank workload (clients, retries, checker: bank/README.md) on
 * two API processes over a three-node PostgreSQL cluster under Patroni and etcd
 * (tooling/ha), whose primary is lost twice mid-storm: kill -9 of its PostgreSQL, then
 * kill -9 of its Patroni and PostgreSQL together. Each time a synchronous standby must be
 * promoted, the APIs must write to it without a restart, and the old primary must come
 * back as a standby. Exits 0 only with 0 violations; where Patroni or etcd is not
 * installed it says SKIPPED and runs nothing.
 */

const ROUNDS: RoundKind[] = ['kill-postgres', 'kill-patroni-and-postgres'];
/** How long after a failover a 503 still counts as caused by it (as in run.ts). */
const FAULT_GRACE_MS = 5_000;
const CLUSTER_START_TIMEOUT_MS = 120_000;
/** Workload on the whole cluster after the last round, before the clients stop. */
const WORKLOAD_AFTER_LAST_ROUND_MS = 3_000;

const now = () => performance.now();
const log: Log = (message) => {
  console.log(`[${formatSeconds(now())}] ${message}`);
};

async function startPatroni(resources: Resources): Promise<PatroniCluster> {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-failover-'));
  resources.holdFolder(folder);
  await chmod(folder, 0o755); // the postgres system user must reach it when we are root
  const ports = {
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    postgres: [await freePort(), await freePort(), await freePort()],
    rest: [await freePort(), await freePort(), await freePort()],
  };
  const spec = clusterSpec(folder, ports, {
    superuser: randomBytes(12).toString('hex'),
    replication: randomBytes(12).toString('hex'),
  });
  const cluster = new PatroniCluster(spec, false);
  resources.holdDatabase(cluster);
  await cluster.start(CLUSTER_START_TIMEOUT_MS);
  await migrateDatabase(cluster.url);
  log(`Patroni cluster healthy (leader ${(await cluster.leader())?.name ?? '?'}), migrated`);
  return cluster;
}

async function startApis(cluster: PatroniCluster, resources: Resources, verbose: boolean) {
  const crashes: string[] = [];
  const apis = await Promise.all(
    Array.from({ length: FAILOVER_PROFILE.apiCount }, async (_, index) => {
      const api = new ApiNode({
        index,
        port: await freePort(),
        databaseUrl: () => cluster.url,
        poolMax: FAILOVER_PROFILE.poolMax,
        forward: verbose ? log : undefined,
        // No API process is killed here: one that exits by itself is a crash, and a violation.
        onCrash: ({ api: which, code, signal }) => {
          crashes.push(`api-${which} exited by itself (code ${code}, signal ${signal})`);
          log(`api-${which} exited by itself; starting it again`);
        },
        onRecovered: (which) => {
          log(`api-${which} is healthy again after its crash`);
        },
      });
      resources.holdApi(api);
      await api.start();
      return api;
    }),
  );
  log(`API processes healthy on DATABASE_URL=${cluster.url.replace(/:[^:@/]+@/, ':***@')}`);
  return { apis, crashes };
}

async function main(resources: Resources, stop: AbortController): Promise<number> {
  const env = readBankEnv();
  const seed = env.BANK_SEED ?? randomInt(0, 0xffff_ffff);
  const profile = FAILOVER_PROFILE;
  log(`failover test: seed ${seed}`);
  const random = new Random(seed);
  const cluster = await startPatroni(resources);
  const { apis, crashes } = await startApis(cluster, resources, env.BANK_VERBOSE === '1');
  const endpoints = apis.map((api, index) => createEndpoint(index, api.baseUrl));
  const history = new History();
  const context: OpContext = { endpoints, profile, history, now };
  const workload = await setUpWallets(context, randomBytes(4).toString('hex'), random);
  const startedAt = now();
  const clients = runClients(
    context,
    workload,
    random,
    startedAt + profile.durationMs,
    stop.signal,
  );
  const roundContext = { cluster, history, now, log, signal: stop.signal };
  const rounds = await runRounds(roundContext, ROUNDS)
    .then(async (done) => {
      await sleep(WORKLOAD_AFTER_LAST_ROUND_MS);
      return done;
    })
    .finally(() => {
      stop.abort(); // the clients finish the ops in flight and stop
    });
  await clients;
  const workloadMs = now() - startedAt;
  const leader = await cluster.leader();
  if (!leader) throw new Error('no leader after the rounds');
  const final = await readFinalState(endpoints, workload.wallets, log);
  log(
    `final state read: ${final.verify.entryCount} entries; ledger:verify on the leader ${leader.name}`,
  );
  const cli = await runVerifyCli(nodeUrl(cluster.spec, leader));
  const report: CheckReport = checkHistory({
    history,
    final,
    walletCount: profile.walletCount,
    graceMs: FAULT_GRACE_MS,
    requestTimeoutMs: profile.requestTimeoutMs,
    crashes,
  });
  for (const problem of cliProblems(cli)) {
    report.violations.push({ check: 'ledger:verify CLI clean', detail: problem });
  }
  const figures = rounds.map((round) => roundFigures(history, round));
  report.violations.push(...figures.flatMap(roundViolations));
  const logs = apis.map((api, index) => ({ name: `api-${index}`, tail: api.log }));
  if (report.violations.length > 0) printLogs(cluster, logs);
  printSummary({ profile, seed, wallMs: now(), workloadMs, history, report, logs });
  printFailover(figures, report.violations, history);
  return report.violations.length === 0 ? 0 : 1;
}

function roundViolations({ round, firstWriteAfterKillMs, notA503 }: RoundFigures): Violation[] {
  const check = `failover (${round.kind})`;
  const violations = notA503.map((detail) => ({
    check: `${check}: every failed request a 503 in the documented shape`,
    detail,
  }));
  if (firstWriteAfterKillMs === undefined) {
    violations.push({
      check: `${check}: writes resume`,
      detail: 'no write acknowledged after the kill',
    });
  }
  return violations;
}

function printFailover(figures: RoundFigures[], violations: Violation[], history: History) {
  const count = (check: string) => violations.filter((v) => v.check === check).length;
  const lost = count('acknowledged writes appear exactly once');
  const duplicated = count('each key applied at most once');
  const acknowledged = history.writes().filter(isAcknowledged).length;
  const lines = figures.map((figure, index) => {
    const { round, firstWriteAfterKillMs, failed, notA503, unanswered } = figure;
    const what =
      round.kind === 'kill-postgres' ? 'kill -9 PostgreSQL' : 'kill -9 Patroni + PostgreSQL';
    const firstWrite = firstWriteAfterKillMs === undefined ? 'never' : ms(firstWriteAfterKillMs);
    const answered503 = failed.total - notA503.length - unanswered;
    return [
      `  round ${index + 1}: ${what} of the primary ${round.oldLeader}; ${round.newLeader} promoted after ${ms(round.promotedAt - round.killedAt)}`,
      `    kill → first acknowledged write on the new primary: ${firstWrite}`,
      `    requests failed in that window: ${failed.total}: ${answered503} answered 503 in the documented shape, ${notA503.length} answered otherwise (500 or another shape), ${unanswered} unanswered within the client's ${FAILOVER_PROFILE.requestTimeoutMs / 1000} s timeout ${JSON.stringify(failed.byOutcome)}`,
      `    ${round.oldLeader} back as a standby ${ms(round.wholeAt - round.killedAt)} after the kill`,
    ].join('\n');
  });
  const total = `${lost} lost, ${duplicated} duplicated acknowledged writes (of ${acknowledged})`;
  console.log(['failover:', ...lines, total, ''].join('\n'));
}

function printLogs(cluster: PatroniCluster, apis: { name: string; tail: { lines: string[] } }[]) {
  for (const { name, tail } of apis)
    console.log(`--- last lines of ${name}:\n${tail.lines.join('\n')}`);
  for (const node of cluster.spec.nodes) {
    console.log(`--- last lines of ${node.name}'s Patroni:\n${cluster.logTail(node.logFile, 30)}`);
  }
}

const missing = missingTools();
if (missing.length > 0) {
  // Not a pass: nothing was tested. CI installs these (.ci/run).
  console.log(`test:failover SKIPPED: not installed: ${missing.join(', ')}`);
  console.log('  install them with: apt-get install -y patroni etcd-server postgresql-15');
  process.exit(0);
}
const resources = new Resources(log);
const stop = new AbortController();
const run = { interrupted: false };
guardProcess(resources, log, () => {
  run.interrupted = true;
  stop.abort();
});
let exitCode = 1;
try {
  exitCode = await main(resources, stop);
} catch (error) {
  if (!run.interrupted) {
    log(
      `harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
} finally {
  await resources.release();
}
log(exitCode === 0 ? 'failover test passed' : 'failover test FAILED');
process.exit(exitCode);
