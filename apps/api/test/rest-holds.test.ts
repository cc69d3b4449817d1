import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectRestError,
  fundWallet,
  startApi,
  UNKNOWN_WALLET_ID,
  WALLET_KEYS,
  type RunningApi,
} from './support/api';

/**
 * The holds over real HTTP: POST /holds, GET /holds/:id, POST /holds/:id/capture and
 * /void, GET /wallets/:id/balance; their refusals in the documented error shape with the
 * catalogue's statuses (400 refused, 404, 409 idempotency, 422 validation), roles, and
 * their place in /openapi.json. The documented /wallets bodies do not change.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

interface RestHold {
  id: string;
  status: string;
  amount: string;
  captured_amount: string;
  capture_transaction_id: string | null;
}

async function fundedWallet(amount: number) {
  const { id } = await createWallet(api.http);
  await fundWallet(api.http, id, amount);
  return id;
}

async function placeHold(body: Record<string, unknown>) {
  const result = await api.http.post('/holds', body);
  expect(result.status, result.text).toBe(201);
  return (result.body as { hold: RestHold }).hold;
}

describe('POST /holds, capture and void', () => {
  it('places a hold: the balance shows held and available as exact decimal text', async () => {
    const walletId = await fundedWallet(100.5);
    const result = await api.http.post('/holds', { wallet_id: walletId, amount: '40.25' });
    expect(result.status, result.text).toBe(201);
    expect(result.body).toMatchObject({
      hold: {
        wallet_id: walletId,
        receiver_wallet_id: null,
        currency: 'USD',
        amount: '40.25',
        captured_amount: '0.00',
        status: 'PENDING',
        expires_at: null,
        resolved_at: null,
        capture_transaction_id: null,
      },
      balance: { wallet_id: walletId, balance: '100.50', held: '40.25', available: '60.25' },
    });
    const balance = await api.http.get(`/wallets/${walletId}/balance`);
    expect(balance.body).toEqual({
      wallet_id: walletId,
      currency: 'USD',
      balance: '100.50',
      held: '40.25',
      available: '60.25',
    });
    // The documented GET /wallets/:id keeps its body: no held, no available (status and
    // metadata are the deliberate additions of wallet status, WALLET_KEYS).
    const wallet = (await api.http.get(`/wallets/${walletId}`)).body as Record<string, unknown>;
    expect(Object.keys(wallet).sort()).toEqual([...WALLET_KEYS, 'transactions'].sort());
    expect(wallet.balance).toBe(100.5);
    const { hold } = result.body as { hold: RestHold };
    expect((await api.http.get(`/holds/${hold.id}`)).body).toEqual(
      (result.body as { hold: unknown }).hold,
    );
  });

  it('captures part to the receiver: a transfer, the rest released', async () => {
    const payer = await fundedWallet(50);
    const receiver = await fundedWallet(0.01);
    const hold = await placeHold({
      wallet_id: payer,
      amount: 20,
      receiver_wallet_id: receiver,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const result = await api.http.post(`/holds/${hold.id}/capture`, { amount: 12.5 });
    expect(result.status, result.text).toBe(200);
    const body = result.body as { hold: RestHold; transactionId: string };
    expect(body).toMatchObject({
      hold: {
        status: 'CAPTURED',
        captured_amount: '12.50',
        capture_transaction_id: body.transactionId,
      },
      balance: { balance: '37.50', held: '0.00', available: '37.50' },
    });
    const detail = await api.http.get(`/transactions/${body.transactionId}`);
    expect(detail.body).toMatchObject({ type: 'TRANSFER', amount: 12.5 });
    expect((await api.http.get(`/wallets/${receiver}`)).body).toMatchObject({ balance: 12.51 });

    const again = await api.http.post(`/holds/${hold.id}/capture`);
    expectRestError(again, 400, `/holds/${hold.id}/capture`, 'HOLD_NOT_PENDING');
    const voided = await api.http.post(`/holds/${hold.id}/void`);
    expectRestError(voided, 400, `/holds/${hold.id}/void`, 'HOLD_NOT_PENDING');
  });

  it('captures all out as a withdrawal (no receiver, no body), and voids another', async () => {
    const payer = await fundedWallet(30);
    const hold = await placeHold({ wallet_id: payer, amount: 10 });
    const captured = await api.http.post(`/holds/${hold.id}/capture`);
    expect(captured.status, captured.text).toBe(200);
    const { transactionId } = captured.body as { transactionId: string };
    expect((await api.http.get(`/transactions/${transactionId}`)).body).toMatchObject({
      type: 'WITHDRAWAL',
      amount: 10,
    });
    const other = await placeHold({ wallet_id: payer, amount: 5 });
    const voided = await api.http.post(`/holds/${other.id}/void`, {});
    expect(voided.status, voided.text).toBe(200);
    expect(voided.body).toMatchObject({
      hold: { status: 'VOIDED' },
      balance: { balance: '20.00', held: '0.00', available: '20.00' },
    });
  });

  it('transfers and withdrawals see available: refused with INSUFFICIENT_FUNDS', async () => {
    const payer = await fundedWallet(10);
    const receiver = await fundedWallet(1);
    await placeHold({ wallet_id: payer, amount: 9 });
    const transfer = await api.http.post('/wallets/transfer', {
      senderWalletId: payer,
      receiverWalletId: receiver,
      amount: 2,
    });
    expectRestError(transfer, 400, '/wallets/transfer', 'INSUFFICIENT_FUNDS');
    const withdraw = await api.http.post('/wallets/withdraw', { wallet_id: payer, amount: 2 });
    expectRestError(withdraw, 400, '/wallets/withdraw', 'INSUFFICIENT_FUNDS');
    const hold = await api.http.post('/holds', { wallet_id: payer, amount: 2 });
    expectRestError(hold, 400, '/holds', 'INSUFFICIENT_FUNDS');
  });

  it('refuses each bad request with its status and code', async () => {
    const payer = await fundedWallet(10);
    const hold = await placeHold({ wallet_id: payer, amount: 1 });
    const cases: [string, unknown, number, string][] = [
      ['/holds', { wallet_id: payer }, 422, 'INVALID_INPUT'],
      ['/holds', { wallet_id: payer, amount: -1 }, 422, 'INVALID_INPUT'],
      ['/holds', { wallet_id: payer, amount: 1, expires_at: 'tomorrow' }, 422, 'INVALID_INPUT'],
      [
        '/holds',
        { wallet_id: payer, amount: 1, expires_at: new Date(Date.now() - 1000).toISOString() },
        422,
        'INVALID_INPUT',
      ],
      ['/holds', { wallet_id: payer, amount: 1, surprise: true }, 422, 'INVALID_INPUT'],
      ['/holds', { wallet_id: UNKNOWN_WALLET_ID, amount: 1 }, 404, 'WALLET_NOT_FOUND'],
      [
        '/holds',
        { wallet_id: payer, amount: 1, receiver_wallet_id: payer },
        400,
        'SAME_WALLET_TRANSFER',
      ],
      [`/holds/${hold.id}/capture`, { amount: 1.01 }, 400, 'CAPTURE_EXCEEDS_HOLD'],
      [`/holds/${hold.id}/capture`, { amount: 'lots' }, 422, 'INVALID_INPUT'],
      [`/holds/${UNKNOWN_WALLET_ID}/capture`, {}, 404, 'HOLD_NOT_FOUND'],
      [`/holds/${UNKNOWN_WALLET_ID}/void`, undefined, 404, 'HOLD_NOT_FOUND'],
      ['/holds/not-a-uuid/void', undefined, 400, 'INVALID_PATH'],
    ];
    for (const [path, body, status, code] of cases) {
      expectRestError(await api.http.post(path, body), status, path, code as never);
    }
    expectRestError(
      await api.http.get(`/holds/${UNKNOWN_WALLET_ID}`),
      404,
      `/holds/${UNKNOWN_WALLET_ID}`,
      'HOLD_NOT_FOUND',
    );
    expectRestError(
      await api.http.get(`/wallets/${UNKNOWN_WALLET_ID}/balance`),
      404,
      `/wallets/${UNKNOWN_WALLET_ID}/balance`,
      'WALLET_NOT_FOUND',
    );
  });

  it('spends an idempotency key once: body or Idempotency-Key header, a 409 naming the hold', async () => {
    const payer = await fundedWallet(10);
    const key = `hold-${payer}`;
    const hold = await placeHold({ wallet_id: payer, amount: 1, idempotency_key: key });
    const retry = await api.http.post('/holds', {
      wallet_id: payer,
      amount: 1,
      idempotency_key: key,
    });
    expectRestError(retry, 409, '/holds', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(retry.body).toMatchObject({ hold_id: hold.id, same_request: true });

    const captureKey = `capture-${hold.id}`;
    const first = await api.http.post(`/holds/${hold.id}/capture`, { idempotency_key: captureKey });
    expect(first.status, first.text).toBe(200);
    const replay = await api.http.postRaw(`/holds/${hold.id}/capture`, '{}', {
      'content-type': 'application/json',
      'idempotency-key': captureKey,
      authorization: `Bearer ${api.keys.admin}`,
    });
    expectRestError(replay, 409, `/holds/${hold.id}/capture`, 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(replay.body).toMatchObject({
      original_transaction_id: (first.body as { transactionId: string }).transactionId,
      same_request: true,
    });
  });

  it('lets read-only keys read holds and balances, not place, capture or void them', async () => {
    const payer = await fundedWallet(10);
    const hold = await placeHold({ wallet_id: payer, amount: 1 });
    const reader = api.clients['read-only'];
    expect((await reader.get(`/holds/${hold.id}`)).status).toBe(200);
    expect((await reader.get(`/wallets/${payer}/balance`)).status).toBe(200);
    for (const [path, body] of [
      ['/holds', { wallet_id: payer, amount: 1 }],
      [`/holds/${hold.id}/capture`, {}],
      [`/holds/${hold.id}/void`, {}],
    ] as const) {
      expectRestError(await reader.post(path, body), 403, path, 'FORBIDDEN');
    }
    expectRestError(await api.clients.anonymous.get(`/holds/${hold.id}`), 401, `/holds/${hold.id}`);
    expect((await api.clients.operator.post(`/holds/${hold.id}/void`)).status).toBe(200);
  });

  it('is in /openapi.json, each route with its error responses from the catalogue', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const expected: [string, string, string[]][] = [
      ['/holds', 'post', ['201', '400', '404', '409', '422']],
      ['/holds/{id}', 'get', ['200', '400', '404']],
      ['/holds/{id}/capture', 'post', ['200', '400', '404', '409', '422']],
      ['/holds/{id}/void', 'post', ['200', '400', '404', '409']],
      ['/wallets/{id}/balance', 'get', ['200', '400', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = document.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(statuses));
    }
    expect(JSON.stringify(document.paths['/holds'])).toContain('receiver_wallet_id');
    const capture = JSON.stringify(document.paths['/holds/{id}/capture']);
    for (const code of ['HOLD_NOT_PENDING', 'HOLD_EXPIRED', 'CAPTURE_EXCEEDS_HOLD']) {
      expect(capture).toContain(code);
    }
  });
});
