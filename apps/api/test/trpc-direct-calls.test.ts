import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApi, UNKNOWN_WALLET_ID, type RunningApi } from './support/api';
import { jsonText, PROPERTY_TIMEOUT_MS, runs, type RawRequest } from './support/hostile';

/**
 * Plain tRPC calls are answered by direct-calls.ts, everything else by tRPC's own
 * adapter. The two must be indistinguishable: the same requests, sent to a server that
 * answers directly and to one that sends every call through the adapter, get the same
 * status, headers and body (ids and times aside, which differ between two databases).
 */

let direct: RunningApi;
let adapter: RunningApi;

beforeAll(async () => {
  [direct, adapter] = await Promise.all([startApi(), startApi({ directTrpcCalls: false })]);
});

afterAll(async () => {
  await Promise.all([direct.close(), adapter.close()]);
});

/** Headers that differ from one response to the next, or by framing alone. */
const VARYING_HEADERS = new Set(['date', 'x-request-id', 'content-length', 'transfer-encoding']);

/**
 * The response, with what differs between two databases (ids, times) masked. Its
 * framing says which path answered: the adapter streams (chunked), the direct path
 * sends a sized body.
 */
async function sendComparable(api: RunningApi, path: string, request: RawRequest) {
  const response = await fetch(new URL(path, api.baseUrl), {
    method: request.method ?? 'GET',
    headers: { authorization: `Bearer ${api.keys.admin}`, ...request.headers },
    body: request.body ?? null,
  });
  const text = (await response.text())
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
  const headers = [...response.headers].filter(([name]) => !VARYING_HEADERS.has(name));
  const answeredDirectly = response.headers.get('transfer-encoding') !== 'chunked';
  return { answer: { status: response.status, headers, text }, answeredDirectly };
}

/** One wallet of 100.00 on each server, its id written into the request where `{wallet}` stands. */
const wallets = new Map<RunningApi, string>();

async function walletOf(api: RunningApi): Promise<string> {
  const known = wallets.get(api);
  if (known) return known;
  const created = await api.ledger.createWallet({ currency: 'USD' });
  await api.ledger.fundWallet({ walletId: created.id, amount: '100.00' });
  wallets.set(api, created.id);
  return created.id;
}

async function sendBoth(path: string, request: RawRequest) {
  const [fast, slow] = await Promise.all(
    [direct, adapter].map(async (api) => {
      const wallet = await walletOf(api);
      const fill = (text: string) =>
        text.replaceAll('{wallet}', wallet).replaceAll(encodeURIComponent('{wallet}'), wallet);
      const body = typeof request.body === 'string' ? fill(request.body) : request.body;
      return sendComparable(api, fill(path), { ...request, body });
    }),
  );
  if (!fast || !slow) throw new Error('two servers, two answers');
  return { direct: fast, adapter: slow };
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const post = (body: string): RawRequest => ({ method: 'POST', headers: JSON_HEADERS, body });
const query = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(input))}`;

/** Calls a typed client makes all day: the direct path answers them. */
const PLAIN_CALLS: [string, string, RawRequest?][] = [
  ['a query', `/trpc/wallets.byId?${query({ json: { walletId: '{wallet}' } })}`],
  ['a query of nothing', `/trpc/wallets.byId?${query({ json: { walletId: UNKNOWN_WALLET_ID } })}`],
  ['a query without input', '/trpc/ledger.totals'],
  ['a query the schema refuses', `/trpc/wallets.list?${query({ json: { limit: 0 } })}`],
  [
    'a batch of queries, one failing (207)',
    `/trpc/wallets.byId,ledger.totals,wallets.byId?batch=1&${query({
      0: { json: { walletId: '{wallet}' } },
      2: { json: { walletId: UNKNOWN_WALLET_ID } },
    })}`,
  ],
  ['a mutation', '/trpc/wallets.create', post('{"json":{"currency":"EUR"}}')],
  [
    'a funding',
    '/trpc/wallets.fund',
    post('{"json":{"walletId":"{wallet}","amount":"1.25","description":"x"}}'),
  ],
  [
    'an overdraft',
    '/trpc/wallets.transfer?batch=1',
    post(
      `{"0":{"json":{"fromWalletId":"{wallet}","toWalletId":"${UNKNOWN_WALLET_ID}","amount":"1"}}}`,
    ),
  ],
];

/** Anything else: the adapter answers, exactly as before. */
const OTHER_CALLS: [string, string, RawRequest?][] = [
  ['a mutation by GET', `/trpc/wallets.create?${query({ json: {} })}`],
  ['a query by POST', '/trpc/ledger.totals', post('{"json":null}')],
  ['an unknown procedure', '/trpc/wallets.nothing', post('{"json":{}}')],
  ['a batch with an unknown procedure', '/trpc/ledger.totals,nothing?batch=1'],
  ['a batch input that is an array', '/trpc/wallets.create?batch=1', post('[{"json":{}}]')],
  ['input that is not JSON', '/trpc/wallets.create', post('{"json":')],
  ['input superjson refuses', '/trpc/wallets.create', post('null')],
  ['no body', '/trpc/wallets.create', { method: 'POST', headers: JSON_HEADERS }],
  [
    'a stream request',
    '/trpc/ledger.totals?batch=1',
    { headers: { 'trpc-accept': 'application/jsonl' } },
  ],
  ['HEAD', '/trpc/ledger.totals', { method: 'HEAD' }],
];

describe('answered directly or by the adapter, a call gets the same answer', () => {
  it.each(PLAIN_CALLS)('%s: answered directly', async (_name, path, request = {}) => {
    const { direct: fast, adapter: slow } = await sendBoth(path, request);
    expect(fast.answer).toEqual(slow.answer);
    expect([fast.answeredDirectly, slow.answeredDirectly]).toEqual([true, false]);
  });

  it.each(OTHER_CALLS)('%s: left to the adapter', async (_name, path, request = {}) => {
    const { direct: fast, adapter: slow } = await sendBoth(path, request);
    expect(fast.answer).toEqual(slow.answer);
  });

  it(
    'for any input to a mutation and a query',
    async () => {
      const envelope = fc.oneof(
        jsonText,
        jsonText.map((json) => `{"json":${json}}`),
        jsonText.map((json) => `{"0":{"json":${json}}}`),
      );
      await fc.assert(
        fc.asyncProperty(envelope, fc.boolean(), async (text, batch) => {
          const search = batch ? '?batch=1' : '';
          const create = await sendBoth(`/trpc/wallets.create${search}`, post(text));
          expect(create.direct.answer).toEqual(create.adapter.answer);
          const list = await sendBoth(
            `/trpc/wallets.list?${batch ? 'batch=1&' : ''}input=${encodeURIComponent(text)}`,
            {},
          );
          expect(list.direct.answer).toEqual(list.adapter.answer);
        }),
        runs(150),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
