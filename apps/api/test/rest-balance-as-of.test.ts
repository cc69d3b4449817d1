import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectRestError,
  fundWallet,
  startApi,
  UNKNOWN_WALLET_ID,
  type RunningApi,
} from './support/api';

/**
 * GET /wallets/:id/balance?as_of=…: the balance as of a moment (the ledger's
 * getBalanceAsOf), without held and available, which are not known historically; without
 * as_of the answer is today's, held and available included.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

/** Resolves once this machine's clock (the database's too: the same machine) is past `at`. */
async function untilClockPasses(at: Date) {
  while (Date.now() <= at.getTime()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('GET /wallets/:id/balance with as_of', () => {
  it('answers the balance then, and only it; without as_of, balance, held and available', async () => {
    const { id: walletId } = await createWallet(api.http);
    const funded = await fundWallet(api.http, walletId, 10);
    // The entry's stamp is within the millisecond the answer's updatedAt shows.
    const asOf = new Date(new Date(funded.updatedAt).getTime() + 1);
    await untilClockPasses(asOf);
    await fundWallet(api.http, walletId, 5);
    const placed = await api.http.post('/holds', { wallet_id: walletId, amount: 3 });
    expect(placed.status, placed.text).toBe(201);

    const then = await api.http.get(`/wallets/${walletId}/balance?as_of=${asOf.toISOString()}`);
    expect(then.status, then.text).toBe(200);
    expect(then.body).toEqual({
      wallet_id: walletId,
      currency: 'USD',
      balance: '10.00',
      as_of: asOf.toISOString(),
    });
    const offset = '2000-01-01T02:00:00+02:00';
    const before = await api.http.get(
      `/wallets/${walletId}/balance?as_of=${encodeURIComponent(offset)}`,
    );
    expect(before.body).toEqual({
      wallet_id: walletId,
      currency: 'USD',
      balance: '0.00',
      as_of: '2000-01-01T00:00:00.000Z',
    });
    expect((await api.http.get(`/wallets/${walletId}/balance`)).body).toEqual({
      wallet_id: walletId,
      currency: 'USD',
      balance: '15.00',
      held: '3.00',
      available: '12.00',
    });
  });

  it('refuses a moment without its offset (422) and an unknown wallet (404)', async () => {
    const { id: walletId } = await createWallet(api.http);
    for (const bad of ['2026-12-01T00:00:00', '2026-12-01', 'yesterday']) {
      const path = `/wallets/${walletId}/balance?as_of=${bad}`;
      expectRestError(await api.http.get(path), 422, path, 'INVALID_INPUT');
    }
    const unknown = `/wallets/${UNKNOWN_WALLET_ID}/balance?as_of=2026-12-01T00:00:00Z`;
    expectRestError(await api.http.get(unknown), 404, unknown, 'WALLET_NOT_FOUND');
  });

  it('documents as_of and the two answers in /openapi.json', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operation = JSON.stringify(document.paths['/wallets/{id}/balance']?.get);
    expect(operation).toContain('"as_of"');
    expect(operation).toContain('not known historically');
    expect(operation).toContain('"422"');
  });
});
