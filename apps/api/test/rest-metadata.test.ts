import type { ErrorCode } from '@wallet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectRestError,
  expectTransaction,
  fundWallet,
  startApi,
  type RunningApi,
  WALLET_KEYS,
} from './support/api';

/**
 * Metadata over real HTTP: every REST write accepts it (the seed's documented bodies
 * unchanged otherwise), every read returns it, 422 in the documented shape for what the
 * contract refuses, the history's `metadata[key]=value` filter, and the balance series.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

async function fundedWallet(amount: number) {
  const { id } = await createWallet(api.http);
  if (amount > 0) await fundWallet(api.http, id, amount);
  return id;
}

async function post(path: string, body: Record<string, unknown>, status = 200) {
  const result = await api.http.post(path, body);
  expect(result.status, result.text).toBe(status);
  return result.body as Record<string, unknown>;
}

async function expectRefusedGet(url: string, status: number, code: ErrorCode) {
  expectRestError(await api.http.get(url), status, url, code);
}

async function metadataOf(transactionId: string) {
  const result = await api.http.get(`/transactions/${transactionId}`);
  expect(result.status, result.text).toBe(200);
  const detail = result.body as { metadata: unknown; legs: { metadata: unknown }[] };
  for (const leg of detail.legs) expect(leg.metadata).toEqual(detail.metadata);
  return detail.metadata;
}

describe('every REST write accepts metadata', () => {
  it('fund, withdraw, transfer, reverse, hold place and capture', async () => {
    const walletId = await fundedWallet(100);
    const otherId = await fundedWallet(0);
    const funded = await post('/wallets/fund', {
      wallet_id: walletId,
      amount: 10,
      metadata: { order: 'F-1' },
    });
    // The wallet, as the seed's contract answers a funding: its metadata is the wallet's
    // own (none here), never the write's.
    expect(Object.keys(funded).sort()).toEqual([...WALLET_KEYS, 'transactionId'].sort());
    expect(funded.metadata).toEqual({});
    expect(await metadataOf(funded.transactionId as string)).toEqual({ order: 'F-1' });
    const withdrawn = await post('/wallets/withdraw', {
      wallet_id: walletId,
      amount: 1,
      metadata: { payout: 'W-1' },
    });
    expect(await metadataOf(withdrawn.transactionId as string)).toEqual({ payout: 'W-1' });
    const transferred = await post('/wallets/transfer', {
      senderWalletId: walletId,
      receiverWalletId: otherId,
      amount: 2,
      metadata: { invoice: 'T-1' },
    });
    expect(await metadataOf(transferred.transactionId as string)).toEqual({ invoice: 'T-1' });
    const reversed = await post(`/transactions/${transferred.transactionId as string}/reverse`, {
      metadata: { reason: 'R-1' },
    });
    expect(await metadataOf(reversed.transactionId as string)).toEqual({ reason: 'R-1' });
    const placed = await post(
      '/holds',
      { wallet_id: walletId, amount: '5', metadata: { booking: 'H-1' } },
      201,
    );
    const hold = placed.hold as { id: string; metadata: unknown };
    expect(hold.metadata).toEqual({ booking: 'H-1' });
    expect((await api.http.get(`/holds/${hold.id}`)).body).toMatchObject({
      metadata: { booking: 'H-1' },
    });
    const captured = await post(`/holds/${hold.id}/capture`, { metadata: { settle: 'C-1' } });
    expect(await metadataOf(captured.transactionId as string)).toEqual({ settle: 'C-1' });
    const history = await api.http.get(`/wallets/${walletId}/transactions`);
    const entries = (history.body as { items: unknown[] }).items.map(expectTransaction);
    expect(entries.map((entry) => entry.metadata)).toEqual([
      { settle: 'C-1' },
      { reason: 'R-1' },
      { invoice: 'T-1' },
      { payout: 'W-1' },
      { order: 'F-1' },
      {},
    ]);
  });

  it('refuses a retry with the same key and other metadata as 409, not a retry', async () => {
    const walletId = await fundedWallet(0);
    const body = { wallet_id: walletId, amount: 1, idempotencyKey: 'rest-meta-1' };
    await post('/wallets/fund', { ...body, metadata: { a: '1' } });
    const same = await api.http.post('/wallets/fund', { ...body, metadata: { a: '1' } });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ same_request: true });
    const other = await api.http.post('/wallets/fund', { ...body, metadata: { a: '2' } });
    expectRestError(other, 409, '/wallets/fund', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(other.body).toMatchObject({ same_request: false });
  });

  it('refuses metadata the contract does not admit: 422, nothing written', async () => {
    const walletId = await fundedWallet(0);
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    for (const metadata of [
      { n: 1 },
      { nested: { a: 'b' } },
      tooMany,
      ['a'],
      'text',
      { 'bad key': 'v' },
      { k: 'x'.repeat(501) },
      { k: null },
    ]) {
      for (const [path, body] of [
        ['/wallets/fund', { wallet_id: walletId, amount: 1, metadata }],
        ['/holds', { wallet_id: walletId, amount: 1, metadata }],
      ] as const) {
        const result = await api.http.post(path, body);
        expectRestError(result, 422, path, 'INVALID_INPUT');
        expect(result.text).toContain('metadata');
      }
    }
    const history = await api.http.get(`/wallets/${walletId}/transactions`);
    expect((history.body as { items: unknown[] }).items).toHaveLength(0);
  });
});

describe('GET /wallets/:id/transactions?metadata[key]=value', () => {
  it('returns exactly the entries whose metadata holds every pair', async () => {
    const walletId = await fundedWallet(0);
    await post('/wallets/fund', { wallet_id: walletId, amount: 1, metadata: { o: 'A', s: 'n' } });
    await post('/wallets/fund', { wallet_id: walletId, amount: 2, metadata: { o: 'B', s: 'n' } });
    await post('/wallets/fund', { wallet_id: walletId, amount: 3, metadata: { o: 'A' } });
    const amounts = async (query: string) => {
      const result = await api.http.get(`/wallets/${walletId}/transactions?${query}`);
      expect(result.status, result.text).toBe(200);
      return (result.body as { items: unknown[] }).items.map(
        (item) => expectTransaction(item).amount,
      );
    };
    expect(await amounts('metadata[o]=A')).toEqual([3, 1]);
    expect(await amounts('metadata[s]=n')).toEqual([2, 1]);
    expect(await amounts('metadata[o]=A&metadata[s]=n')).toEqual([1]);
    expect(await amounts('metadata%5Bo%5D=B')).toEqual([2]);
    expect(await amounts('metadata[o]=Z')).toEqual([]);
    expect(await amounts('metadata[o]=A&limit=1&type=FUND')).toEqual([3]);
  });

  it('refuses a malformed filter with 422 in the documented shape', async () => {
    const walletId = await fundedWallet(0);
    for (const query of [
      'metadata[o]=A&metadata[o]=B',
      'metadata[a][b]=c',
      'metadata[]=c',
      'metadata=A',
      'metadata=A&metadata[o]=B',
      'metadata[a]=1&metadata[b]=1&metadata[c]=1&metadata[d]=1&metadata[e]=1',
      'metadata[o=A',
    ]) {
      await expectRefusedGet(`/wallets/${walletId}/transactions?${query}`, 422, 'INVALID_INPUT');
    }
  });

  it('is documented in /openapi.json, as is the balance series', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; style?: string }[] }>>;
    };
    const history = document.paths['/wallets/{id}/transactions']?.get;
    expect(history?.parameters?.find((parameter) => parameter.name === 'metadata')).toMatchObject({
      in: 'query',
      style: 'deepObject',
      explode: true,
    });
    const series = document.paths['/wallets/{id}/balance-series']?.get;
    expect(series?.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['id', 'from', 'to', 'points']),
    );
  });
});

describe('GET /wallets/:id/balance-series', () => {
  it('gives the balance at each instant as exact decimal text, 0 before the first entry', async () => {
    const walletId = await fundedWallet(0);
    const before = new Date(Date.now() - 60_000).toISOString();
    await post('/wallets/fund', { wallet_id: walletId, amount: 12.34 });
    await post('/wallets/fund', { wallet_id: walletId, amount: 0.66 });
    const after = new Date(Date.now() + 1_000).toISOString();
    const result = await api.http.get(
      `/wallets/${walletId}/balance-series?from=${before}&to=${after}&points=3`,
    );
    expect(result.status, result.text).toBe(200);
    const series = result.body as {
      points: { at: string; balance: string }[];
      opening_balance: string;
      closing_balance: string;
    };
    expect(Object.keys(series).sort()).toEqual([
      'closing_balance',
      'currency',
      'from',
      'opening_balance',
      'points',
      'to',
      'wallet_id',
    ]);
    expect(series.opening_balance).toBe('0.00');
    expect(series.closing_balance).toBe('13.00');
    expect(series.points).toHaveLength(3);
    expect(series.points[0]).toEqual({ at: before.replace('Z', '000Z'), balance: '0.00' });
  });

  it('refuses too many points, a reversed period and an unknown wallet', async () => {
    const walletId = await fundedWallet(0);
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-02-01T00:00:00Z';
    const url = (query: string) => `/wallets/${walletId}/balance-series?${query}`;
    await expectRefusedGet(url(`from=${from}&to=${to}&points=201`), 422, 'INVALID_INPUT');
    await expectRefusedGet(url(`from=${to}&to=${from}`), 422, 'INVALID_INPUT');
    await expectRefusedGet(url(`from=${from}`), 422, 'INVALID_INPUT');
    await expectRefusedGet(
      `/wallets/00000000-0000-4000-8000-000000000000/balance-series?from=${from}&to=${to}`,
      404,
      'WALLET_NOT_FOUND',
    );
  });
});
