import type { ChildProcess } from 'node:child_process';

import { createTRPCClient, httpLink } from '@trpc/client';
import { createDatabase } from '@wallet/db';
import { createTestDatabase, freePort, startTestDatabaseServer } from '@wallet/testing';
import autocannon from 'autocannon';
import superjson from 'superjson';

import { spawnApi, stopApi, waitForHealth } from '@wallet/api/harness/api-process';
import { HARNESS_AUTHORIZATION } from '@wallet/api/harness/harness-auth';
import type { AppRouter } from '@wallet/api';

import { readBenchEnv } from './env';
import { runLoop, type LoopResult } from './loop';
import { highWaterMarkMb, sampleRss } from './memory';
import { rawTransfer, seedHistory, type Sql } from './raw';

/**
 * `pnpm bench`: a bounded load run. It starts a throwaway PostgreSQL (or uses
 * TEST_DATABASE_URL), the API as a separate process in production mode, makes and funds
 * its wallets, and runs each scenario for a fixed time:
 * - over REST (autocannon) at each concurrency level: uniform random transfers,
 *   transfers into one hot wallet, wallet reads; over tRPC (httpLink, superjson) uniform
 *   transfers at the highest level;
 * - the raw floor: the ledger's transfer transaction as plain SQL over postgres.js from
 *   this process (no HTTP, no API), uniform and hot, at each level, with REST/raw ratios;
 * - the API's peak resident memory during the highest-level runs;
 * - history scaling: the latest page of a wallet with HISTORY_LARGE entries vs one with
 *   HISTORY_SMALL.
 * It prints one table, asserts nothing, and leaves nothing running.
 */

const WALLET_COUNT = 1_000;
const WALLET_FUNDING = '100000';
const TRANSFER_AMOUNT = '0.01';
/** TRANSFER_AMOUNT in minor units of the default currency (USD, 2 digits). */
const TRANSFER_AMOUNT_MINOR = 1n;
const TOP_CONCURRENCY = 64;
const SETUP_CONCURRENCY = 32;
/** The API's pool, and the raw floor's: the same number of connections for both. */
const POOL_MAX = 20;
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const RSS_SAMPLE_INTERVAL_MS = 100;
const HISTORY_LARGE = 1_000_000;
const HISTORY_SMALL = 10;
const HISTORY_PAGE_LIMIT = 20;
const HISTORY_CONNECTIONS = 16;
const HISTORY_DURATION_S = 4;
/** An unmeasured read of each history wallet first, so neither pays for a cold start. */
const HISTORY_WARMUP_S = 1;
/** The history seed's own statement timeout: the pool's 15 s is too short for a million rows. */
const HISTORY_SEED_TIMEOUT_MS = 180_000;

/** Issue 6's targets, checked on the figures of this one run. */
const TARGETS = {
  uniformVsRaw: 0.7,
  hotVsRaw: 5,
  historyP99Ratio: 1.5,
  rssMb: 250,
} as const;

const SCENARIOS = [
  'REST uniform',
  'REST hot',
  'REST fund',
  'REST reads',
  'tRPC uniform',
  'tRPC hot',
  'tRPC fund',
  'tRPC reads',
  'raw uniform',
  'raw hot',
] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Measurement {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  rssMb?: number;
}

interface Row {
  scenario: string;
  conns: number;
  'ops/s': number;
  'p50 ms': number;
  'p99 ms': number;
  failed: number;
  ratio: string;
  'API RSS MB': string;
}

async function main(): Promise<void> {
  const settings = readBenchEnv();
  const databaseServer = await startTestDatabaseServer(settings.TEST_DATABASE_URL);
  const database = await createTestDatabase(databaseServer);
  const raw = createDatabase(database.url, { poolMax: POOL_MAX, applicationName: 'bench-raw' });
  let api: ChildProcess | undefined;
  const cleanUp = async () => {
    if (api) await stopApi(api, STOP_TIMEOUT_MS);
    await raw.close();
    await database.drop();
    await databaseServer.stop();
  };
  // Ctrl-C stops the run, not the clean-up.
  const interrupted = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    const port = await freePort();
    api = startApi(database.url, port);
    const apiPid = api.pid;
    if (apiPid === undefined) throw new Error('the API did not start');
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, api, STARTUP_TIMEOUT_MS);
    console.log(`API up at ${baseUrl}; creating ${WALLET_COUNT} funded wallets…`);
    const walletIds = await createFundedWallets(baseUrl);
    const work = workloads(walletIds, baseUrl, raw.db.$client, settings.BENCH_DURATION_S);
    const scenarios = SCENARIOS.filter((name) =>
      settings.BENCH_ONLY.length === 0
        ? true
        : settings.BENCH_ONLY.some((part) => name.includes(part)),
    );

    // At the top level over HTTP, the API's memory is sampled for the run's duration.
    const measure = async (name: Scenario, conns: number) => {
      console.log(`running "${name}" at ${conns} for ${settings.BENCH_DURATION_S} s…`);
      const overApi = !name.startsWith('raw');
      const sampler =
        overApi && conns === TOP_CONCURRENCY ? sampleRss(apiPid, RSS_SAMPLE_INTERVAL_MS) : null;
      const result = await work[name](conns);
      return sampler ? { ...result, rssMb: sampler.stop() } : result;
    };
    const results = new Map<string, Measurement>();
    const key = (name: string, conns: number) => `${name}@${conns}`;
    for (const name of scenarios) {
      for (const conns of settings.BENCH_LEVELS) {
        results.set(key(name, conns), await measure(name, conns));
      }
    }
    const peakMb = highWaterMarkMb(apiPid);
    const batches = await groupCommitFigures(baseUrl);
    const history = settings.BENCH_HISTORY ? await measureHistory(baseUrl, raw.db.$client) : null;

    const floorOf: Partial<Record<Scenario, Scenario>> = {
      'REST uniform': 'raw uniform',
      'tRPC uniform': 'raw uniform',
      'REST hot': 'raw hot',
      'tRPC hot': 'raw hot',
    };
    const ratioOf = (name: Scenario, conns: number): number | undefined => {
      const floorName = floorOf[name];
      const over = results.get(key(name, conns))?.perSecond;
      const floor = floorName ? results.get(key(floorName, conns))?.perSecond : undefined;
      return over !== undefined && floor !== undefined && floor > 0 ? over / floor : undefined;
    };
    const rows: Row[] = [];
    for (const name of scenarios) {
      for (const conns of settings.BENCH_LEVELS) {
        const result = results.get(key(name, conns));
        const ratio = ratioOf(name, conns);
        if (result)
          rows.push(
            toRow(name, conns, result, ratio === undefined ? '' : `${decimals(ratio, 2)}× raw`),
          );
      }
    }
    if (history) {
      rows.push(
        toRow(`history ${HISTORY_SMALL} entries`, HISTORY_CONNECTIONS, history.small, ''),
        toRow(
          `history ${HISTORY_LARGE} entries`,
          HISTORY_CONNECTIONS,
          history.large,
          `p99 ${decimals(history.p99Ratio, 2)}× small`,
        ),
      );
    }
    console.log(
      `\n${settings.BENCH_DURATION_S} s per scenario, ${WALLET_COUNT} wallets, pool ${POOL_MAX} (API and raw);` +
        ` history: latest page of ${HISTORY_PAGE_LIMIT}, ${HISTORY_DURATION_S} s each.` +
        ` failed = errors + non-2xx. raw = one transaction per transfer, no HTTP, no batching.`,
    );
    console.table(rows);
    const topRssMb = Math.max(...[...results.values()].map((r) => r.rssMb ?? 0));
    console.log(
      `API peak RSS: ${formatMb(topRssMb)} MB during the ${TOP_CONCURRENCY}-connection runs;` +
        ` ${formatMb(peakMb)} MB lifetime (VmHWM).`,
    );
    console.log(
      `Group commit over the whole run: ${batches.count} write transactions,` +
        ` ${decimals(batches.meanSize, 1)} writes each on average,` +
        ` ${decimals(batches.meanMs, 2)} ms each on average (from /metrics).`,
    );
    printTargets([
      target(
        `REST uniform @${TOP_CONCURRENCY} vs raw uniform`,
        ratioOf('REST uniform', TOP_CONCURRENCY),
        '≥',
        TARGETS.uniformVsRaw,
        '×',
      ),
      target(
        `REST hot @${TOP_CONCURRENCY} vs raw hot`,
        ratioOf('REST hot', TOP_CONCURRENCY),
        '≥',
        TARGETS.hotVsRaw,
        '×',
      ),
      target(
        'history p99, 1,000,000 vs 10 entries',
        history?.p99Ratio,
        '≤',
        TARGETS.historyP99Ratio,
        '×',
      ),
      target(
        `API peak RSS during ${TOP_CONCURRENCY}-connection runs`,
        topRssMb > 0 ? topRssMb : undefined,
        '<',
        TARGETS.rssMb,
        ' MB',
      ),
    ]);
  } finally {
    process.removeListener('SIGINT', interrupted);
    await cleanUp();
  }
}

/** Sums and counts of the ledger's group-commit histograms, from the API's /metrics. */
async function groupCommitFigures(baseUrl: string) {
  const response = await fetch(`${baseUrl}/metrics`, { headers: HARNESS_AUTHORIZATION });
  const text = await response.text();
  const total = (series: string) => {
    let sum = 0;
    for (const match of text.matchAll(new RegExp(`^${series}\\{[^}]*\\} (\\S+)$`, 'gm'))) {
      sum += Number(match[1]);
    }
    return sum;
  };
  const count = total('ledger_write_batch_size_count');
  return {
    count,
    meanSize: count > 0 ? total('ledger_write_batch_size_sum') / count : 0,
    meanMs: count > 0 ? (1000 * total('ledger_write_batch_duration_seconds_sum')) / count : 0,
  };
}

interface TargetLine {
  what: string;
  measured: string;
  target: string;
  met: string;
}

function target(
  what: string,
  value: number | undefined,
  relation: '≥' | '≤' | '<',
  bound: number,
  unit: string,
): TargetLine {
  const met =
    value === undefined
      ? 'not measured'
      : (relation === '≥' ? value >= bound : relation === '≤' ? value <= bound : value < bound)
        ? 'met'
        : 'MISSED';
  return {
    what,
    measured: value === undefined ? '—' : `${decimals(value, 2)}${unit}`,
    target: `${relation} ${bound}${unit}`,
    met,
  };
}

function printTargets(lines: TargetLine[]): void {
  console.log('\nIssue 6 targets, from this run:');
  console.table(lines);
}

function startApi(databaseUrl: string, port: number): ChildProcess {
  return spawnApi({
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: String(POOL_MAX),
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
    },
  });
}

async function createFundedWallets(baseUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < WALLET_COUNT; start += SETUP_CONCURRENCY) {
    const batch = Math.min(SETUP_CONCURRENCY, WALLET_COUNT - start);
    ids.push(...(await Promise.all(Array.from({ length: batch }, () => createFunded(baseUrl)))));
  }
  return ids;
}

async function createFunded(baseUrl: string): Promise<string> {
  const id = await createWallet(baseUrl);
  await postJson(`${baseUrl}/wallets/fund`, { wallet_id: id, amount: WALLET_FUNDING });
  return id;
}

async function createWallet(baseUrl: string): Promise<string> {
  const created = await postJson(`${baseUrl}/wallets`, {});
  return (created as { id: string }).id;
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...HARNESS_AUTHORIZATION, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

type Workload = (connections: number) => Promise<Measurement>;

function workloads(walletIds: string[], baseUrl: string, sql: Sql, durationS: number) {
  const pick = () => walletIds[Math.floor(Math.random() * walletIds.length)] ?? '';
  const [hot = '', ...others] = walletIds;
  const pickOther = () => others[Math.floor(Math.random() * others.length)] ?? '';
  const pickPair = (): [string, string] => {
    const sender = pick();
    let receiver = pick();
    while (receiver === sender) receiver = pick();
    return [sender, receiver];
  };
  let sequence = 0;
  // Every write carries a key of its own, as a careful client's would.
  const nextKey = () => `bench-${process.pid}-${++sequence}`;
  const transferInput = ([senderWalletId, receiverWalletId]: [string, string]) => ({
    senderWalletId,
    receiverWalletId,
    amount: TRANSFER_AMOUNT,
    idempotencyKey: nextKey(),
  });
  const fundInput = () => ({
    walletId: pick(),
    amount: TRANSFER_AMOUNT,
    idempotencyKey: nextKey(),
  });
  const post = (path: string, body: () => unknown): autocannon.Request => ({
    method: 'POST',
    path,
    headers: { ...HARNESS_AUTHORIZATION, 'content-type': 'application/json' },
    setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) }),
  });
  const rest =
    (requests: autocannon.Request[]): Workload =>
    async (connections) =>
      fromAutocannon(
        await autocannon({
          url: baseUrl,
          connections,
          duration: durationS,
          requests,
          headers: HARNESS_AUTHORIZATION,
        }),
      );
  const loop =
    (operation: () => Promise<unknown>): Workload =>
    async (connections) =>
      fromLoop(await runLoop(connections, durationS * 1000, operation));
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({ url: `${baseUrl}/trpc`, transformer: superjson, headers: HARNESS_AUTHORIZATION }),
    ],
  });
  const rawBetween = ([sender, receiver]: [string, string]) =>
    rawTransfer(sql, sender, receiver, TRANSFER_AMOUNT, TRANSFER_AMOUNT_MINOR, nextKey());
  const hotPair = (): [string, string] => [pickOther(), hot];
  const fund = () => {
    const { walletId, amount, idempotencyKey } = fundInput();
    return { wallet_id: walletId, amount, idempotencyKey };
  };
  return {
    'REST uniform': rest([post('/wallets/transfer', () => transferInput(pickPair()))]),
    'REST hot': rest([post('/wallets/transfer', () => transferInput(hotPair()))]),
    'REST fund': rest([post('/wallets/fund', fund)]),
    'REST reads': rest([
      { method: 'GET', setupRequest: (request) => ({ ...request, path: `/wallets/${pick()}` }) },
    ]),
    'tRPC uniform': loop(() => trpc.wallets.transfer.mutate(transferInput(pickPair()))),
    'tRPC hot': loop(() => trpc.wallets.transfer.mutate(transferInput(hotPair()))),
    'tRPC fund': loop(() => trpc.wallets.fund.mutate(fundInput())),
    'tRPC reads': loop(() => trpc.wallets.byId.query({ walletId: pick() })),
    'raw uniform': loop(() => rawBetween(pickPair())),
    'raw hot': loop(() => rawBetween(hotPair())),
  } satisfies Record<Scenario, Workload>;
}

/** Two fresh wallets, HISTORY_LARGE and HISTORY_SMALL entries, and their latest page read. */
async function measureHistory(baseUrl: string, sql: Sql) {
  const large = await createWallet(baseUrl);
  const small = await createWallet(baseUrl);
  console.log(`seeding ${HISTORY_LARGE} entries on one wallet, ${HISTORY_SMALL} on another…`);
  const seeding = performance.now();
  await seedHistory(sql, large, HISTORY_LARGE, HISTORY_SEED_TIMEOUT_MS);
  await seedHistory(sql, small, HISTORY_SMALL, HISTORY_SEED_TIMEOUT_MS);
  const seedS = (performance.now() - seeding) / 1000;
  const latestPage = (walletId: string, duration: number) =>
    autocannon({
      url: `${baseUrl}/wallets/${walletId}/transactions?limit=${HISTORY_PAGE_LIMIT}`,
      connections: HISTORY_CONNECTIONS,
      duration,
      headers: HARNESS_AUTHORIZATION,
    });
  await latestPage(small, HISTORY_WARMUP_S);
  await latestPage(large, HISTORY_WARMUP_S);
  console.log(`reading the latest page of each for ${HISTORY_DURATION_S} s…`);
  const smallResult = fromAutocannon(await latestPage(small, HISTORY_DURATION_S));
  const largeResult = fromAutocannon(await latestPage(large, HISTORY_DURATION_S));
  console.log(`history seeded in ${decimals(seedS, 1)} s`);
  return {
    small: smallResult,
    large: largeResult,
    p99Ratio: smallResult.p99Ms > 0 ? largeResult.p99Ms / smallResult.p99Ms : Number.NaN,
  };
}

function fromAutocannon(result: autocannon.Result): Measurement {
  return {
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: result.errors + result.non2xx,
  };
}

function fromLoop(result: LoopResult): Measurement {
  return {
    perSecond: result.perSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    failed: result.failed,
  };
}

function toRow(scenario: string, conns: number, result: Measurement, ratio: string): Row {
  return {
    scenario,
    conns,
    'ops/s': Math.round(result.perSecond),
    'p50 ms': round(result.p50Ms),
    'p99 ms': round(result.p99Ms),
    failed: result.failed,
    ratio,
    'API RSS MB': result.rssMb === undefined ? '' : formatMb(result.rssMb),
  };
}

/** A ratio or a size for the table (not money: amounts never pass through here). */
function decimals(value: number, digits: number): string {
  const scale = 10 ** digits;
  return String(Math.round(value * scale) / scale);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function formatMb(mb: number | undefined): string {
  return mb === undefined ? '?' : decimals(mb, 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
