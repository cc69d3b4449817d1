import { externalAccountIdOf } from '@wallet/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectFundResult,
  expectRestError,
  expectTransaction,
  fundWallet,
  startApi,
  UNKNOWN_WALLET_ID,
  type RunningApi,
} from './support/api';

/**
 * POST /wallets/withdraw over real HTTP: its answer (the wallet and the WITHDRAWAL's id,
 * like fund's), its refusals in the documented error shape, hostile bodies (422 or 400,
 * never 500), the Idempotency-Key header, roles, and its place in /openapi.json.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

describe('POST /wallets/withdraw', () => {
  it('pays out and answers like fund: the wallet and the transaction id', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 100.5);
    const result = await api.http.post('/wallets/withdraw', {
      wallet_id: id,
      amount: 40.25,
      description: 'Payout to bank',
      idempotencyKey: `w-${id}`,
    });
    expect(result.status, result.text).toBe(200);
    const wallet = expectFundResult(result.body);
    expect(wallet).toMatchObject({ id, balance: 60.25 });
    expect(result.text).toContain('"balance":60.25,');

    const history = (await api.http.get(`/wallets/${id}`)).body as { transactions: unknown[] };
    const latest = expectTransaction(history.transactions[0]);
    expect(latest).toMatchObject({
      id: wallet.transactionId,
      type: 'WITHDRAWAL',
      amount: 40.25,
      balanceBefore: 100.5,
      balanceAfter: 60.25,
      counterpartyWalletId: null,
      transferId: null,
      description: 'Payout to bank',
    });
    const detail = await api.http.get(`/transactions/${wallet.transactionId}`);
    expect(detail.body).toMatchObject({ id: wallet.transactionId, type: 'WITHDRAWAL' });
    const filtered = await api.http.get(`/wallets/${id}/transactions?type=WITHDRAWAL`);
    expect((filtered.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('refuses more than the balance with 400 INSUFFICIENT_FUNDS, as a transfer does', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 10);
    const result = await api.http.post('/wallets/withdraw', { wallet_id: id, amount: 10.01 });
    const message = expectRestError(result, 400, '/wallets/withdraw', 'INSUFFICIENT_FUNDS');
    expect(message).toMatch(/^Insufficient balance/);
    const after = (await api.http.get(`/wallets/${id}`)).body as { balance: number };
    expect(after.balance).toBe(10);
  });

  it("answers 404 WALLET_NOT_FOUND for an unknown wallet and for a currency's external account", async () => {
    for (const walletId of [UNKNOWN_WALLET_ID, externalAccountIdOf('USD')]) {
      const result = await api.http.post('/wallets/withdraw', { wallet_id: walletId, amount: 1 });
      expectRestError(result, 404, '/wallets/withdraw', 'WALLET_NOT_FOUND');
      const read = await api.http.get(`/wallets/${walletId}`);
      expectRestError(read, 404, `/wallets/${walletId}`, 'WALLET_NOT_FOUND');
    }
    const funded = await api.http.post('/wallets/fund', {
      wallet_id: externalAccountIdOf('USD'),
      amount: 1,
    });
    expectRestError(funded, 404, '/wallets/fund', 'WALLET_NOT_FOUND');
    const listed = (await api.http.get('/wallets?limit=100')).body as { items: { id: string }[] };
    expect(listed.items.map((wallet) => wallet.id)).not.toContain(externalAccountIdOf('USD'));
  });

  it('refuses hostile bodies with 422 (or 400 for broken JSON) in the error shape, never 500', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 5);
    const bodies: unknown[] = [
      {},
      { wallet_id: id },
      { wallet_id: id, amount: 0 },
      { wallet_id: id, amount: -1 },
      { wallet_id: id, amount: '1e3' },
      { wallet_id: id, amount: 'NaN' },
      { wallet_id: id, amount: 1.001 },
      { wallet_id: id, amount: 10_000_000_000_000 },
      { wallet_id: id, amount: true },
      { wallet_id: 'not-a-uuid', amount: 1 },
      { wallet_id: id, amount: 1, walletId: id },
      { wallet_id: id, amount: 1, idempotency_key: 'misspelt' },
      { wallet_id: id, amount: 1, description: 'x'.repeat(501) },
      { wallet_id: id, amount: 1, description: 'nul\u0000' },
      { wallet_id: id, amount: 1, idempotencyKey: '' },
      [],
      null,
      'text',
    ];
    for (const body of bodies) {
      const result = await api.http.postRaw('/wallets/withdraw', JSON.stringify(body), {
        'content-type': 'application/json',
      });
      expect(result.status, JSON.stringify(body)).toBe(422);
      expectRestError(result, 422, '/wallets/withdraw');
    }
    // A number no double holds exactly is refused too (lossless-json), not rounded.
    const tooPrecise = await api.http.postRaw(
      '/wallets/withdraw',
      `{"wallet_id":"${id}","amount":1.000000000000000001}`,
      { 'content-type': 'application/json' },
    );
    expectRestError(tooPrecise, 422, '/wallets/withdraw');
    for (const text of ['{"wallet_id":', '{"amount":1,"amount":2}']) {
      const result = await api.http.postRaw('/wallets/withdraw', text, {
        'content-type': 'application/json',
      });
      expect(result.status, text).toBe(400);
      expectRestError(result, 400, '/wallets/withdraw');
    }
    const after = (await api.http.get(`/wallets/${id}`)).body as { balance: number };
    expect(after.balance).toBe(5);
  });

  it('takes the Idempotency-Key header: a replay is a 409 naming the withdrawal', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 5);
    const send = (body: unknown, key: string) =>
      api.http.postRaw('/wallets/withdraw', JSON.stringify(body), {
        'content-type': 'application/json',
        'idempotency-key': key,
      });
    const key = `payout-${id}`;
    const first = await send({ wallet_id: id, amount: 2 }, key);
    expect(first.status, first.text).toBe(200);
    const { transactionId } = expectFundResult(first.body);
    const replay = await send({ wallet_id: id, amount: 2 }, key);
    expectRestError(replay, 409, '/wallets/withdraw', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(replay.body).toMatchObject({
      original_transaction_id: transactionId,
      same_request: true,
    });
    const differ = await send({ wallet_id: id, amount: 1, idempotencyKey: `${key}-x` }, key);
    expectRestError(differ, 422, '/wallets/withdraw', 'INVALID_INPUT');
    const after = (await api.http.get(`/wallets/${id}`)).body as { balance: number };
    expect(after.balance).toBe(3);
  });

  it('needs the operator role, as fund does', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 5);
    const body = { wallet_id: id, amount: 1 };
    expectRestError(
      await api.clients['read-only'].post('/wallets/withdraw', body),
      403,
      '/wallets/withdraw',
    );
    expectRestError(
      await api.clients.anonymous.post('/wallets/withdraw', body),
      401,
      '/wallets/withdraw',
    );
    expect((await api.clients.operator.post('/wallets/withdraw', body)).status).toBe(200);
  });

  it('is in /openapi.json with its error responses from the catalogue', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<
        string,
        { post?: { responses: Record<string, unknown>; requestBody?: unknown } }
      >;
    };
    const withdraw = document.paths['/wallets/withdraw']?.post;
    expect(withdraw).toBeDefined();
    expect(Object.keys(withdraw?.responses ?? {}).sort()).toEqual(
      expect.arrayContaining([
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '422',
        '429',
        '503',
      ]),
    );
    expect(JSON.stringify(withdraw?.requestBody)).toContain('wallet_id');
  });
});
