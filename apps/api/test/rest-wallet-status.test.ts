import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectRestError,
  expectWallet,
  fundWallet,
  startApi,
  UNKNOWN_WALLET_ID,
  type RunningApi,
} from './support/api';

/**
 * Wallet status and metadata over real HTTP: PATCH /wallets/{id} (freeze, unfreeze,
 * close, replace metadata), the refusals it and the movements answer (400 with their own
 * codes, 404, 422, 403 for a reader), POST /wallets with metadata, and GET /wallets
 * filtered by status and by `metadata[key]=value`.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

async function patchWallet(id: string, body: unknown) {
  return api.http.patch(`/wallets/${id}`, body);
}

describe('PATCH /wallets/{id}', () => {
  it('freezes: a transfer out is refused 400 WALLET_FROZEN, a funding lands; unfreezes', async () => {
    const { id } = await createWallet(api.http);
    const other = await createWallet(api.http);
    await fundWallet(api.http, id, 10);
    const frozen = await patchWallet(id, { status: 'FROZEN' });
    expect(frozen.status, frozen.text).toBe(200);
    expect(expectWallet(frozen.body)).toMatchObject({ id, status: 'FROZEN', balance: 10 });

    const path = '/wallets/transfer';
    const transfer = { senderWalletId: id, receiverWalletId: other.id, amount: 1 };
    const refused = await api.http.post(path, transfer);
    expectRestError(refused, 400, path, 'WALLET_FROZEN');
    await fundWallet(api.http, id, 1);

    await patchWallet(id, { status: 'ACTIVE' });
    const moved = await api.http.post(path, transfer);
    expect(moved.status, moved.text).toBe(200);
  });

  it('closes an empty wallet for good; refuses a non-empty one and any way back', async () => {
    const full = await createWallet(api.http);
    await fundWallet(api.http, full.id, 1);
    expectRestError(
      await patchWallet(full.id, { status: 'CLOSED' }),
      400,
      `/wallets/${full.id}`,
      'WALLET_NOT_EMPTY',
    );
    const empty = await createWallet(api.http);
    const closed = await patchWallet(empty.id, { status: 'CLOSED' });
    expect(expectWallet(closed.body).status).toBe('CLOSED');
    expectRestError(
      await patchWallet(empty.id, { status: 'ACTIVE' }),
      400,
      `/wallets/${empty.id}`,
      'WALLET_STATUS_TRANSITION_INVALID',
    );
    expectRestError(
      await api.http.post('/wallets/fund', { wallet_id: empty.id, amount: 1 }),
      400,
      '/wallets/fund',
      'WALLET_CLOSED',
    );
  });

  it('refuses to close a wallet with a pending hold: 400 WALLET_HAS_PENDING_HOLDS', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 5);
    const hold = await api.http.post('/holds', { wallet_id: id, amount: 5 });
    expect(hold.status, hold.text).toBe(201);
    expectRestError(
      await patchWallet(id, { status: 'CLOSED' }),
      400,
      `/wallets/${id}`,
      'WALLET_HAS_PENDING_HOLDS',
    );
  });

  it('replaces the metadata whole, shown on GET /wallets/{id}', async () => {
    const created = await api.http.post('/wallets', { metadata: { owner: 'u-1', tier: 'gold' } });
    expect(created.status, created.text).toBe(201);
    const { id } = expectWallet(created.body);
    expect(expectWallet(created.body).metadata).toEqual({ owner: 'u-1', tier: 'gold' });
    const patched = await patchWallet(id, { metadata: { owner: 'u-2' } });
    expect(expectWallet(patched.body)).toMatchObject({
      status: 'ACTIVE',
      metadata: { owner: 'u-2' },
    });
    const read = await api.http.get(`/wallets/${id}`);
    expect(read.body).toMatchObject({ metadata: { owner: 'u-2' }, status: 'ACTIVE' });
  });

  it('422 for a wrong body, 404 for an unknown wallet, 403 for a reader', async () => {
    const { id } = await createWallet(api.http);
    const path = `/wallets/${id}`;
    for (const body of [
      {},
      { status: 'DORMANT' },
      { metadata: { n: 1 } },
      { metadata: 'x' },
      { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
      { status: 'FROZEN', extra: true },
    ]) {
      expectRestError(await patchWallet(id, body), 422, path, 'INVALID_INPUT');
    }
    expectRestError(
      await patchWallet(UNKNOWN_WALLET_ID, { status: 'FROZEN' }),
      404,
      `/wallets/${UNKNOWN_WALLET_ID}`,
      'WALLET_NOT_FOUND',
    );
    const reader = await api.clients['read-only'].patch(path, { status: 'FROZEN' });
    expectRestError(reader, 403, path, 'FORBIDDEN');
    const operator = await api.clients.operator.patch(path, { status: 'FROZEN' });
    expect(operator.status, operator.text).toBe(200);
  });
});

describe('GET /wallets filtered by status and metadata', () => {
  it('finds wallets by metadata[key]=value (all pairs must match) and by status', async () => {
    const tag = randomUUID();
    const make = async (metadata: Record<string, string>) => {
      const result = await api.http.post('/wallets', { metadata });
      return expectWallet(result.body).id;
    };
    const alice = await make({ tag, owner: 'alice' });
    const bob = await make({ tag, owner: 'bob' });
    await patchWallet(bob, { status: 'FROZEN' });
    const ids = async (query: string) => {
      const result = await api.http.get(`/wallets?${query}`);
      expect(result.status, result.text).toBe(200);
      const page = result.body as { items: unknown[] };
      return page.items.map((item) => expectWallet(item).id);
    };
    expect(await ids(`metadata[tag]=${tag}`)).toEqual([bob, alice]);
    expect(await ids(`metadata[tag]=${tag}&metadata[owner]=alice`)).toEqual([alice]);
    expect(await ids(`metadata[tag]=${tag}&status=FROZEN`)).toEqual([bob]);
    expect(await ids(`metadata%5Btag%5D=${tag}&status=ACTIVE`)).toEqual([alice]);
  });

  it('422 for malformed or too many filters', async () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((key) => `metadata[${key}]=x`).join('&');
    for (const query of [
      five,
      'metadata[]=x',
      'metadata[a][b]=x',
      'metadata[a]=x&metadata[a]=y',
      'metadata=x',
      'metadata=x&metadata[a]=y',
      'metadata[a%20b]=x',
      'status=DORMANT',
    ]) {
      const result = await api.http.get(`/wallets?${query}`);
      expectRestError(result, 422, `/wallets?${query}`, 'INVALID_INPUT');
    }
  });

  it('documents PATCH /wallets/{id} and the metadata filter as deepObject', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; style?: string }[] }>>;
    };
    expect(document.paths['/wallets/{id}']?.patch).toBeDefined();
    const metadata = document.paths['/wallets']?.get?.parameters?.find(
      (parameter) => parameter.name === 'metadata',
    );
    expect(metadata?.style).toBe('deepObject');
  });
});
