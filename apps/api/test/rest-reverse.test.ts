import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectRestError,
  expectTransaction,
  fundWallet,
  startApi,
  UUID,
  type HttpClient,
  type RunningApi,
} from './support/api';

/**
 * POST /transactions/{id}/reverse over real HTTP: its answer, the link both ways in
 * GET /transactions/{id} and the histories, its refusals in the documented error shape
 * (400 refused, 404 unknown, 409 key used, 422 invalid; never a 500), the
 * Idempotency-Key header, roles, and its place in /openapi.json.
 */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

interface ReversalBody {
  transactionId: string;
  originalTransactionId: string;
  amount: number;
  reversedAmount: number;
  remainingAmount: number;
  currency: string;
}

async function transfer(http: HttpClient, amount: number) {
  const sender = await createWallet(http);
  const receiver = await createWallet(http);
  await fundWallet(http, sender.id, amount);
  const result = await http.post('/wallets/transfer', {
    senderWalletId: sender.id,
    receiverWalletId: receiver.id,
    amount,
  });
  expect(result.status, result.text).toBe(200);
  const { transactionId } = result.body as { transactionId: string };
  return { sender: sender.id, receiver: receiver.id, transferId: transactionId };
}

function reverse(id: string, body?: unknown, headers: Record<string, string> = {}) {
  const path = `/transactions/${id}/reverse`;
  // No body at all: no Content-Type either.
  if (body === undefined) return api.http.post(path);
  return api.http.postRaw(path, JSON.stringify(body), {
    'content-type': 'application/json',
    ...headers,
  });
}

describe('POST /transactions/{id}/reverse', () => {
  it('reverses a transfer in part, then the rest; both sides show the link', async () => {
    const { sender, receiver, transferId } = await transfer(api.http, 20);
    const first = await reverse(transferId, { amount: 5.25, description: 'refund' });
    expect(first.status, first.text).toBe(200);
    const partial = first.body as ReversalBody;
    expect(partial).toEqual({
      transactionId: expect.stringMatching(UUID) as string,
      originalTransactionId: transferId,
      amount: 5.25,
      reversedAmount: 5.25,
      remainingAmount: 14.75,
      currency: 'USD',
    });
    const original = (await api.http.get(`/transactions/${transferId}`)).body;
    expect(original).toMatchObject({
      type: 'TRANSFER',
      reversal: 'PARTIAL',
      reversedAmount: 5.25,
      reversesTransactionId: null,
      reversals: [{ id: partial.transactionId, amount: 5.25 }],
    });
    // An empty body: all that is left.
    const rest = await reverse(transferId);
    expect(rest.status, rest.text).toBe(200);
    expect(rest.body).toMatchObject({ amount: 14.75, reversedAmount: 20, remainingAmount: 0 });
    const reversal = (await api.http.get(`/transactions/${partial.transactionId}`)).body;
    expect(reversal).toMatchObject({
      id: partial.transactionId,
      type: 'REVERSAL',
      amount: 5.25,
      description: 'refund',
      reversesTransactionId: transferId,
      reversal: 'NONE',
      reversals: [],
    });
    const senderHistory = (await api.http.get(`/wallets/${sender}`)).body as {
      balance: number;
      transactions: unknown[];
    };
    expect(senderHistory.balance).toBe(20);
    const [latest, , transferOut] = senderHistory.transactions.map(expectTransaction);
    expect(latest).toMatchObject({ type: 'TRANSFER_IN', reversesTransactionId: transferId });
    expect(transferOut).toMatchObject({ type: 'TRANSFER_OUT', reversedAmount: 20 });
    const receiverHistory = (await api.http.get(`/wallets/${receiver}`)).body as {
      balance: number;
    };
    expect(receiverHistory.balance).toBe(0);
  });

  it('refuses with 400 past the original, when the money is gone, and for a reversal', async () => {
    const { id } = await createWallet(api.http);
    const { transactionId: fundingId } = await fundWallet(api.http, id, 10);
    const past = await reverse(fundingId, { amount: 10.01 });
    const path = `/transactions/${fundingId}/reverse`;
    expectRestError(past, 400, path, 'REVERSAL_EXCEEDS_ORIGINAL');
    expect(past.body).toMatchObject({ details: { remaining: '10.00', requested: '10.01' } });
    expect((await api.http.post('/wallets/withdraw', { wallet_id: id, amount: 9 })).status).toBe(
      200,
    );
    expectRestError(await reverse(fundingId, { amount: 2 }), 400, path, 'INSUFFICIENT_FUNDS');
    const done = await reverse(fundingId, { amount: 1 });
    expect(done.status, done.text).toBe(200);
    const { transactionId: reversalId } = done.body as ReversalBody;
    expectRestError(
      await reverse(reversalId, {}),
      400,
      `/transactions/${reversalId}/reverse`,
      'TRANSACTION_NOT_REVERSIBLE',
    );
    const unknown = '00000000-0000-4000-8000-000000000001';
    expectRestError(
      await reverse(unknown, {}),
      404,
      `/transactions/${unknown}/reverse`,
      'TRANSACTION_NOT_FOUND',
    );
    expectRestError(await reverse('not-a-uuid', {}), 400, '/transactions/not-a-uuid/reverse');
    expect(((await api.http.get(`/wallets/${id}`)).body as { balance: number }).balance).toBe(0);
  });

  it('refuses hostile bodies with 422 (or 400 for broken JSON), never 500, and moves nothing', async () => {
    const { id } = await createWallet(api.http);
    const { transactionId: fundingId } = await fundWallet(api.http, id, 5);
    const bodies: unknown[] = [
      { amount: 0 },
      { amount: -1 },
      { amount: 1.001 },
      { amount: 'NaN' },
      { amount: true },
      { amount: 1, transactionId: fundingId },
      { amount: 1, idempotency_key: 'misspelt' },
      { description: 'x'.repeat(501) },
      { idempotencyKey: '' },
      [],
      null,
      'text',
    ];
    const path = `/transactions/${fundingId}/reverse`;
    for (const body of bodies) {
      const result = await reverse(fundingId, body);
      expect(result.status, JSON.stringify(body)).toBe(422);
      expectRestError(result, 422, path);
    }
    for (const text of ['{"amount":', '{"amount":1,"amount":2}']) {
      const result = await api.http.postRaw(path, text, { 'content-type': 'application/json' });
      expectRestError(result, 400, path);
    }
    expect(((await api.http.get(`/wallets/${id}`)).body as { balance: number }).balance).toBe(5);
  });

  it('takes the Idempotency-Key header: a replay is a 409 naming the reversal', async () => {
    const { id } = await createWallet(api.http);
    const { transactionId: fundingId } = await fundWallet(api.http, id, 5);
    const key = `reverse-${fundingId}`;
    const first = await reverse(fundingId, { amount: 2 }, { 'idempotency-key': key });
    expect(first.status, first.text).toBe(200);
    const { transactionId } = first.body as ReversalBody;
    const path = `/transactions/${fundingId}/reverse`;
    const replay = await reverse(fundingId, { amount: 2 }, { 'idempotency-key': key });
    expectRestError(replay, 409, path, 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(replay.body).toMatchObject({
      original_transaction_id: transactionId,
      same_request: true,
    });
    const differ = await reverse(
      fundingId,
      { idempotencyKey: `${key}-x` },
      { 'idempotency-key': key },
    );
    expectRestError(differ, 422, path, 'INVALID_INPUT');
    expect(((await api.http.get(`/wallets/${id}`)).body as { balance: number }).balance).toBe(3);
  });

  it('needs the operator role', async () => {
    const { id } = await createWallet(api.http);
    const { transactionId: fundingId } = await fundWallet(api.http, id, 5);
    const path = `/transactions/${fundingId}/reverse`;
    expectRestError(await api.clients['read-only'].post(path, { amount: 1 }), 403, path);
    expectRestError(await api.clients.anonymous.post(path, { amount: 1 }), 401, path);
    expect((await api.clients.operator.post(path, { amount: 1 })).status).toBe(200);
  });

  it('is in /openapi.json with its body and its error responses from the catalogue', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<
        string,
        { post?: { responses: Record<string, { description: string }>; requestBody?: unknown } }
      >;
    };
    const operation = document.paths['/transactions/{id}/reverse']?.post;
    expect(operation).toBeDefined();
    const responses = operation?.responses ?? {};
    expect(Object.keys(responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422', '503']),
    );
    expect(responses['400']?.description).toContain('REVERSAL_EXCEEDS_ORIGINAL');
    expect(responses['400']?.description).toContain('TRANSACTION_NOT_REVERSIBLE');
    expect(JSON.stringify(operation?.requestBody)).toContain('idempotencyKey');
  });
});
