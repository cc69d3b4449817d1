import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createDatabase } from '@wallet/db';
import autocannon from 'autocannon';
import superjson from 'superjson';

import { HARNESS_AUTHORIZATION } from '@wallet/api/harness/harness-auth';
import type { AppRouter } from '@wallet/api';

import { readBenchEnv } from './env';
import {
  batchedHotTransfers,
  createFloorFunctions,
  dropFloorFunctions,
  HOT_BATCH_SIZE,
  oneRoundTripTransfer,
  rawWalletRead,
} from './floors';
import { runLoop } from './loop';
import { cpuTimeMs, sampleRss } from './memory';
import { startQuickStart, type QuickStart } from '@wallet/api/harness/quick-start';
import { printReport, type Measurement } from './report';
import { startBenchReceiver, type BenchReceiver } from './webhook-receiver';

/**
 * `pnpm bench`: the service as a user runs it (`pnpm start`, see quick-start.ts), driven
 * from this process by autocannon over HTTP at 64 connections: REST and tRPC (httpLink's
 * and httpBatchLink's wire format) for uniform transfers, hot-wallet transfers, fundings
 * and wallet reads; beside them, in the same run on the same database, the raw-SQL floors
 * (floors.ts). It prints one table and the targets of issue 14, asserts nothing, and
 * leaves nothing running.
 */

const WALLET_COUNT = 1_000;
const WALLET_FUNDING = '100000';
const AMOUNT = '0.01';
const AMOUNT_MINOR = 1n;
const CONNECTIONS = 64;
const SETUP_CONCURRENCY = 32;
/** The raw floors use the API's default pool size (DATABASE_POOL_MAX). */
const FLOOR_POOL_MAX = 10;
const RSS_SAMPLE_INTERVAL_MS = 100;
/** GET /wallets/:id shows this many entries (WALLET_RECENT_TRANSACTIONS). */
const WALLET_PAGE = 20;

async function main(): Promise<void> {
  const settings = readBenchEnv();
  console.log('starting the service with `pnpm start` (builds first)…');
  const service = await startQuickStart(
    settings.BENCH_WEBHOOK ? { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } : {},
  );
  const raw = createDatabase(service.databaseUrl, {
    poolMax: FLOOR_POOL_MAX,
    applicationName: 'bench-floor',
  });
  try {
    console.log(`service up: API ${service.apiUrl}, dashboard ${service.webUrl}; seeding…`);
    const walletIds = await createFundedWallets(service.apiUrl);
    await checkTrpcWireFormat(service.apiUrl, walletIds);
    const sql = raw.db.$client;
    await createFloorFunctions(sql);
    const receiver = settings.BENCH_WEBHOOK
      ? await startBenchReceiver(service.apiUrl, HARNESS_AUTHORIZATION, sql)
      : null;
    const scenarios = scenariosOf(service, walletIds, sql);
    const only = settings.BENCH_ONLY;
    const results = new Map<string, Measurement>();
    for (const [name, run] of Object.entries(scenarios)) {
      if (only.length > 0 && !only.some((part) => name.includes(part))) continue;
      console.log(`running "${name}" for ${settings.BENCH_DURATION_S} s…`);
      const overHttp = !name.startsWith('raw');
      const sampler = overHttp ? sampleRss(service.apiPid, RSS_SAMPLE_INTERVAL_MS) : null;
      const cpuBefore = cpuTimeMs(service.apiPid);
      const receivedBefore = receiver?.received() ?? 0;
      const result = await run(settings.BENCH_DURATION_S);
      const cpuAfter = cpuTimeMs(service.apiPid);
      const webhooksPerSecond = receiver
        ? (receiver.received() - receivedBefore) / settings.BENCH_DURATION_S
        : undefined;
      const requests = result.perSecond * settings.BENCH_DURATION_S;
      const apiCpuMsPerRequest =
        cpuBefore === undefined || cpuAfter === undefined || requests === 0
          ? undefined
          : (cpuAfter - cpuBefore) / requests;
      results.set(
        name,
        sampler
          ? { ...result, rssMb: sampler.stop(), apiCpuMsPerRequest, webhooksPerSecond }
          : result,
      );
    }
    await dropFloorFunctions(sql);
    const webhooks = receiver
      ? await describeDeliveries(receiver)
      : 'No webhook endpoint (BENCH_WEBHOOK=0).';
    await receiver?.close();
    printReport(results, {
      connections: CONNECTIONS,
      durationS: settings.BENCH_DURATION_S,
      webhooks,
    });
  } finally {
    await raw.close();
    await service.stop();
  }
}

/** How long the bench watches the backlog drain with no writes: a measuring window. */
const DRAIN_WINDOW_S = 10;

/**
 * What the endpoint got during the writes, what was left, and how fast one API process
 * delivers when it has nothing else to do: issue 16's "delivery throughput one process
 * sustains" (the writes share the cores with it, so their rate says less).
 */
async function describeDeliveries(receiver: BenchReceiver): Promise<string> {
  const during = receiver.received();
  const left = await receiver.undelivered();
  await new Promise((resolve) => setTimeout(resolve, DRAIN_WINDOW_S * 1000));
  const drained = receiver.received() - during;
  return [
    `One webhook endpoint on (every event type, a loopback receiver answering 204):`,
    `${during} deliveries received during the scenarios, ${left} events not yet delivered after them;`,
    `with no writes, one API process then delivered ${Math.round(drained / DRAIN_WINDOW_S)}/s over ${DRAIN_WINDOW_S} s.`,
  ].join(' ');
}

type Scenario = (durationS: number) => Promise<Measurement>;

function scenariosOf(
  service: QuickStart,
  walletIds: string[],
  sql: Parameters<typeof rawWalletRead>[0],
) {
  const pick = () => walletIds[Math.floor(Math.random() * walletIds.length)] ?? '';
  const [hot = '', ...others] = walletIds;
  const pickOther = () => others[Math.floor(Math.random() * others.length)] ?? '';
  const pair = (): [string, string] => {
    const sender = pick();
    let receiver = pick();
    while (receiver === sender) receiver = pick();
    return [sender, receiver];
  };
  const hotPair = (): [string, string] => [pickOther(), hot];
  let sequence = 0;
  const key = () => `bench-${process.pid}-${++sequence}`;
  const transfer = ([senderWalletId, receiverWalletId]: [string, string]) => ({
    senderWalletId,
    receiverWalletId,
    amount: AMOUNT,
    idempotencyKey: key(),
  });
  const restFund = () => ({ wallet_id: pick(), amount: AMOUNT, idempotencyKey: key() });
  const trpcFund = () => ({ walletId: pick(), amount: AMOUNT, idempotencyKey: key() });

  const http =
    (requests: autocannon.Request[]): Scenario =>
    async (durationS) =>
      fromAutocannon(
        await autocannon({
          url: service.apiUrl,
          connections: CONNECTIONS,
          duration: durationS,
          requests,
          headers: HARNESS_AUTHORIZATION,
        }),
      );
  const post = (pathOf: () => string, body: () => unknown): autocannon.Request => ({
    method: 'POST',
    headers: { ...HARNESS_AUTHORIZATION, 'content-type': 'application/json' },
    setupRequest: (request) => ({ ...request, path: pathOf(), body: JSON.stringify(body()) }),
  });
  const get = (pathOf: () => string): autocannon.Request => ({
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: pathOf() }),
  });
  // tRPC's wire format as @trpc/client sends it (checked by checkTrpcWireFormat):
  // httpLink one call per request, httpBatchLink `?batch=1` with the calls by index.
  const mutation = (name: string, input: () => unknown) =>
    post(
      () => `/trpc/${name}`,
      () => superjson.serialize(input()),
    );
  const batchMutation = (name: string, input: () => unknown) =>
    post(
      () => `/trpc/${name}?batch=1`,
      () => ({ 0: superjson.serialize(input()) }),
    );
  const query = (name: string, input: () => unknown) =>
    get(
      () =>
        `/trpc/${name}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input())))}`,
    );
  const batchQuery = (name: string, input: () => unknown) =>
    get(
      () =>
        `/trpc/${name}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize(input()) }))}`,
    );
  const readInput = () => ({ walletId: pick() });
  const loop =
    (operation: () => Promise<unknown>, concurrency = CONNECTIONS): Scenario =>
    async (durationS) =>
      runLoop(concurrency, durationS * 1000, operation);
  const batchSenders = () => Array.from({ length: HOT_BATCH_SIZE }, pickOther);

  return {
    'REST uniform': http([
      post(
        () => '/wallets/transfer',
        () => transfer(pair()),
      ),
    ]),
    'tRPC uniform': http([mutation('wallets.transfer', () => transfer(pair()))]),
    'tRPC batch uniform': http([batchMutation('wallets.transfer', () => transfer(pair()))]),
    'raw 1-RT uniform': loop(() => oneRoundTripTransfer(sql, pair(), AMOUNT_MINOR)),
    'REST hot': http([
      post(
        () => '/wallets/transfer',
        () => transfer(hotPair()),
      ),
    ]),
    'tRPC hot': http([mutation('wallets.transfer', () => transfer(hotPair()))]),
    'tRPC batch hot': http([batchMutation('wallets.transfer', () => transfer(hotPair()))]),
    'raw batched hot': async (durationS: number) => {
      const result = await runLoop(1, durationS * 1000, () =>
        batchedHotTransfers(sql, batchSenders(), hot, AMOUNT_MINOR),
      );
      // Transfers, not transactions: each transaction carries HOT_BATCH_SIZE of them.
      return { ...result, perSecond: result.perSecond * HOT_BATCH_SIZE };
    },
    'REST fund': http([post(() => '/wallets/fund', restFund)]),
    'tRPC fund': http([mutation('wallets.fund', trpcFund)]),
    'tRPC batch fund': http([batchMutation('wallets.fund', trpcFund)]),
    'REST reads': http([get(() => `/wallets/${pick()}`)]),
    'tRPC reads': http([query('wallets.byId', readInput)]),
    'tRPC batch reads': http([batchQuery('wallets.byId', readInput)]),
    'raw reads': loop(() => rawWalletRead(sql, pick(), WALLET_PAGE)),
  } satisfies Record<string, Scenario>;
}

/** The bench's hand-made tRPC requests are what the real client sends: one call of each, checked. */
async function checkTrpcWireFormat(apiUrl: string, walletIds: string[]): Promise<void> {
  const [a = '', b = ''] = walletIds;
  const sent: string[] = [];
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${apiUrl}/trpc`,
        transformer: superjson,
        headers: HARNESS_AUTHORIZATION,
        fetch: (url: string | URL | Request, init?: RequestInit) => {
          const body = typeof init?.body === 'string' ? init.body : '';
          const path = (url instanceof Request ? url.url : String(url)).replace(apiUrl, '');
          sent.push(`${init?.method ?? 'GET'} ${path} ${body}`);
          return fetch(url, init);
        },
      }),
    ],
  });
  await client.wallets.byId.query({ walletId: a });
  await client.wallets.transfer.mutate({ senderWalletId: a, receiverWalletId: b, amount: AMOUNT });
  const expected = [
    `GET /trpc/wallets.byId?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ walletId: a }) }))} `,
    `POST /trpc/wallets.transfer?batch=1 ${JSON.stringify({ 0: superjson.serialize({ senderWalletId: a, receiverWalletId: b, amount: AMOUNT }) })}`,
  ];
  if (JSON.stringify(sent) !== JSON.stringify(expected)) {
    throw new Error(
      `tRPC's wire format changed:\n${sent.join('\n')}\nexpected\n${expected.join('\n')}`,
    );
  }
}

async function createFundedWallets(apiUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < WALLET_COUNT; start += SETUP_CONCURRENCY) {
    const batch = Math.min(SETUP_CONCURRENCY, WALLET_COUNT - start);
    ids.push(...(await Promise.all(Array.from({ length: batch }, () => createFunded(apiUrl)))));
  }
  return ids;
}

async function createFunded(apiUrl: string): Promise<string> {
  const { id } = (await postJson(`${apiUrl}/wallets`, {})) as { id: string };
  await postJson(`${apiUrl}/wallets/fund`, { wallet_id: id, amount: WALLET_FUNDING });
  return id;
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

function fromAutocannon(result: autocannon.Result): Measurement {
  return {
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: result.errors + result.non2xx,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
