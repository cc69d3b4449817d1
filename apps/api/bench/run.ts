import type { ChildProcess } from 'node:child_process';

import { createTestDatabase, freePort, startTestDatabaseServer } from '@wallet/db/testing';
import autocannon from 'autocannon';

import { spawnApi, stopApi, waitForHealth } from '../scripts/api-process';

import { benchDatabaseUrl } from './env';

/**
 * `pnpm bench`: a bounded load run over real HTTP. It starts a throwaway PostgreSQL (or
 * uses TEST_DATABASE_URL), the API as a separate process in production mode, makes and
 * funds its wallets, runs each scenario for a fixed time and prints a table. It asserts
 * nothing, and leaves nothing running.
 */

const WALLET_COUNT = 1_000;
const WALLET_FUNDING = '100000';
const TRANSFER_AMOUNT = '0.01';
const CONNECTIONS = 64;
const SCENARIO_DURATION_S = 10;
const SETUP_CONCURRENCY = 32;
const POOL_MAX = 20;
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

interface Row {
  scenario: string;
  'requests/s': number;
  'p50 ms': number;
  'p99 ms': number;
  non2xx: number;
  errors: number;
}

async function main(): Promise<void> {
  const databaseServer = await startTestDatabaseServer(benchDatabaseUrl());
  const database = await createTestDatabase(databaseServer);
  let api: ChildProcess | undefined;
  const cleanUp = async () => {
    if (api) await stopApi(api, STOP_TIMEOUT_MS);
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
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, api, STARTUP_TIMEOUT_MS);
    console.log(`API up at ${baseUrl}; creating ${WALLET_COUNT} funded wallets…`);
    const walletIds = await createFundedWallets(baseUrl);
    const rows: Row[] = [];
    for (const scenario of scenarios(walletIds)) {
      console.log(`running "${scenario.name}" for ${SCENARIO_DURATION_S} s…`);
      rows.push(toRow(scenario.name, await autocannon({ url: baseUrl, ...scenario.options })));
    }
    console.log(
      `\n${CONNECTIONS} connections, ${SCENARIO_DURATION_S} s each, ${WALLET_COUNT} wallets, pool ${POOL_MAX}`,
    );
    console.table(rows);
  } finally {
    process.removeListener('SIGINT', interrupted);
    await cleanUp();
  }
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
  const created = await postJson(`${baseUrl}/wallets`, {});
  const { id } = created as { id: string };
  await postJson(`${baseUrl}/wallets/fund`, { wallet_id: id, amount: WALLET_FUNDING });
  return id;
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

interface Scenario {
  name: string;
  options: Omit<autocannon.Options, 'url'>;
}

function scenarios(walletIds: string[]): Scenario[] {
  const pick = () => walletIds[Math.floor(Math.random() * walletIds.length)] ?? '';
  const [hot = '', ...others] = walletIds;
  const pickOther = () => others[Math.floor(Math.random() * others.length)] ?? '';
  let sequence = 0;
  // Every transfer carries a key of its own, as a careful client's would.
  const transfer = (sender: string, receiver: string) =>
    JSON.stringify({
      senderWalletId: sender,
      receiverWalletId: receiver,
      amount: TRANSFER_AMOUNT,
      idempotencyKey: `bench-${process.pid}-${++sequence}`,
    });
  const common = { connections: CONNECTIONS, duration: SCENARIO_DURATION_S };
  const post = (body: () => string): autocannon.Request => ({
    method: 'POST',
    path: '/wallets/transfer',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request) => ({ ...request, body: body() }),
  });
  return [
    {
      name: 'uniform random transfers',
      options: {
        ...common,
        requests: [
          post(() => {
            const sender = pick();
            let receiver = pick();
            while (receiver === sender) receiver = pick();
            return transfer(sender, receiver);
          }),
        ],
      },
    },
    {
      name: 'transfers into one hot wallet',
      options: { ...common, requests: [post(() => transfer(pickOther(), hot))] },
    },
    {
      name: 'wallet reads (GET /wallets/:id)',
      options: {
        ...common,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: `/wallets/${pick()}` }),
          },
        ],
      },
    },
  ];
}

function toRow(scenario: string, result: autocannon.Result): Row {
  return {
    scenario,
    'requests/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
