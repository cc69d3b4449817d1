import {
  ERROR_CATALOGUE,
  ERROR_CODES,
  REQUEST_BODY_BYTES_MAX,
  ROUTE_PARAM_LENGTH_MAX,
} from '@wallet/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectRestError,
  fundWallet,
  startApi,
  UNKNOWN_WALLET_ID,
  type RunningApi,
  type TransactionBody,
  type WalletBody,
} from './support/api';

/** Every documented failure over real HTTP, each in the documented shape, never a 500. */

interface DocumentedResponse {
  description: string;
  content: Record<
    string,
    { schema: { properties?: Record<string, { enum?: string[] }>; required?: string[] } }
  >;
}

let api: RunningApi;
let funded: WalletBody;
let empty: WalletBody;
let euro: WalletBody;

beforeAll(async () => {
  api = await startApi();
  funded = await createWallet(api.http);
  await fundWallet(api.http, funded.id, 100);
  empty = await createWallet(api.http);
  euro = await createWallet(api.http, 'EUR');
});

afterAll(async () => {
  await api.close();
});

async function balanceOf(walletId: string): Promise<number> {
  const result = await api.http.get(`/wallets/${walletId}`);
  expect(result.status).toBe(200);
  return (result.body as WalletBody).balance;
}

describe('404 Not Found', () => {
  it('funding an unknown wallet', async () => {
    const result = await api.http.post('/wallets/fund', {
      amount: 1,
      wallet_id: UNKNOWN_WALLET_ID,
    });
    expect(expectRestError(result, 404, '/wallets/fund', 'WALLET_NOT_FOUND')).toContain(
      UNKNOWN_WALLET_ID,
    );
    expect((result.body as { details?: unknown }).details).toEqual({ walletId: UNKNOWN_WALLET_ID });
  });

  it('transferring from or to an unknown wallet', async () => {
    const from = await api.http.post('/wallets/transfer', {
      senderWalletId: UNKNOWN_WALLET_ID,
      receiverWalletId: funded.id,
      amount: 1,
    });
    expect(expectRestError(from, 404, '/wallets/transfer', 'WALLET_NOT_FOUND')).toContain(
      UNKNOWN_WALLET_ID,
    );
    const to = await api.http.post('/wallets/transfer', {
      senderWalletId: funded.id,
      receiverWalletId: UNKNOWN_WALLET_ID,
      amount: 1,
    });
    expect(expectRestError(to, 404, '/wallets/transfer', 'WALLET_NOT_FOUND')).toContain(
      UNKNOWN_WALLET_ID,
    );
    expect(await balanceOf(funded.id)).toBe(100);
  });

  it('reading an unknown wallet or its history', async () => {
    const path = `/wallets/${UNKNOWN_WALLET_ID}`;
    expectRestError(await api.http.get(path), 404, path, 'WALLET_NOT_FOUND');
    const history = `${path}/transactions?limit=5`;
    expectRestError(await api.http.get(history), 404, history, 'WALLET_NOT_FOUND');
  });

  it('an unknown route, in the same shape', async () => {
    const message = expectRestError(
      await api.http.get('/nope?x=1'),
      404,
      '/nope?x=1',
      'ROUTE_NOT_FOUND',
    );
    expect(message).toBe('Route GET /nope?x=1 not found');
    expectRestError(await api.http.post('/wallets/fund/extra', {}), 404, '/wallets/fund/extra');
  });
});

describe('400 Bad Request', () => {
  it('malformed JSON', async () => {
    const result = await api.http.postRaw('/wallets/fund', '{"amount": 1, "wallet_id": ');
    expect(expectRestError(result, 400, '/wallets/fund', 'MALFORMED_REQUEST')).toMatch(
      /^Malformed JSON/,
    );
  });

  it('a key given twice with different values', async () => {
    const result = await api.http.postRaw('/wallets', '{"currency":"USD","currency":"EUR"}');
    expect(expectRestError(result, 400, '/wallets')).toMatch(/^Malformed JSON.*Duplicate key/);
  });

  it('a malformed wallet id in the path', async () => {
    const result = await api.http.get('/wallets/123');
    const message = expectRestError(result, 400, '/wallets/123', 'INVALID_PATH');
    expect(message).toBe('id must be a UUID');
    const history = '/wallets/not-a-uuid/transactions';
    expectRestError(await api.http.get(history), 400, history);
  });

  it('insufficient balance, leaving both balances alone', async () => {
    const result = await api.http.post('/wallets/transfer', {
      senderWalletId: funded.id,
      receiverWalletId: empty.id,
      amount: 100.01,
    });
    expect(expectRestError(result, 400, '/wallets/transfer', 'INSUFFICIENT_FUNDS')).toMatch(
      /Insufficient balance/,
    );
    expect((result.body as { details?: unknown }).details).toEqual({
      walletId: funded.id,
      available: '100.00',
      requested: '100.01',
      currency: 'USD',
    });
    expect(await balanceOf(funded.id)).toBe(100);
    expect(await balanceOf(empty.id)).toBe(0);
  });

  it('a transfer to the same wallet', async () => {
    const result = await api.http.post('/wallets/transfer', {
      senderWalletId: funded.id,
      receiverWalletId: funded.id,
      amount: 1,
    });
    expect(expectRestError(result, 400, '/wallets/transfer', 'SAME_WALLET_TRANSFER')).toMatch(
      /different wallets/,
    );
  });

  it('a transfer between currencies', async () => {
    const result = await api.http.post('/wallets/transfer', {
      senderWalletId: funded.id,
      receiverWalletId: euro.id,
      amount: 1,
    });
    expect(expectRestError(result, 400, '/wallets/transfer', 'CURRENCY_MISMATCH')).toMatch(
      /USD to EUR/,
    );
    expect(await balanceOf(funded.id)).toBe(100);
  });
});

describe('409 Conflict', () => {
  it('a reused idempotency key on fund names the original transaction and moves no money', async () => {
    const wallet = await createWallet(api.http);
    await fundWallet(api.http, wallet.id, 10, { idempotencyKey: 'fund-once' });
    const history = await api.http.get(`/wallets/${wallet.id}/transactions`);
    const [original] = (history.body as { items: TransactionBody[] }).items;

    const again = await api.http.post('/wallets/fund', {
      amount: 10,
      wallet_id: wallet.id,
      idempotencyKey: 'fund-once',
    });
    const message = expectRestError(again, 409, '/wallets/fund', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect((again.body as { details?: unknown }).details).toEqual({
      idempotencyKey: 'fund-once',
      originalTransactionId: original?.id,
      sameRequest: true,
    });
    expect(message).toContain('fund-once');
    expect(message).toContain(original?.id);
    expect(again.body).toMatchObject({ original_transaction_id: original?.id, same_request: true });
    expect(again.body).not.toHaveProperty('wallet_id');
    expect(await balanceOf(wallet.id)).toBe(10);
  });

  it('a reused idempotency key on transfer names the original transfer', async () => {
    const receiver = await createWallet(api.http);
    const body = {
      senderWalletId: funded.id,
      receiverWalletId: receiver.id,
      amount: 1,
      idempotencyKey: 'transfer-once',
    };
    expect((await api.http.post('/wallets/transfer', body)).status).toBe(200);
    const again = await api.http.post('/wallets/transfer', body);
    const message = expectRestError(again, 409, '/wallets/transfer', 'DUPLICATE_IDEMPOTENCY_KEY');
    const history = await api.http.get(`/wallets/${receiver.id}/transactions`);
    const [leg] = (history.body as { items: TransactionBody[] }).items;
    expect(message).toContain(leg?.transferId);
    expect(again.body).toMatchObject({
      original_transaction_id: leg?.transferId,
      same_request: true,
    });
    const different = await api.http.post('/wallets/transfer', { ...body, amount: 2 });
    expectRestError(different, 409, '/wallets/transfer', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(different.body).toMatchObject({
      original_transaction_id: leg?.transferId,
      same_request: false,
    });
    expect(await balanceOf(receiver.id)).toBe(1);
    // Put the dollar back so the other tests see 100.
    await api.http.post('/wallets/transfer', {
      senderWalletId: receiver.id,
      receiverWalletId: funded.id,
      amount: 1,
    });
    expect(await balanceOf(funded.id)).toBe(100);
  });
});

describe('422 Unprocessable Entity', () => {
  const cases: [string, string, () => unknown, RegExp][] = [
    ['missing fields', '/wallets/fund', () => ({}), /^wallet_id is required; amount is required$/],
    [
      'an unknown currency',
      '/wallets',
      () => ({ currency: 'XYZ' }),
      /^currency must be one of USD/,
    ],
    [
      'a currency of the wrong type',
      '/wallets',
      () => ({ currency: 5 }),
      /^currency must be one of/,
    ],
    [
      'an amount of the wrong type',
      '/wallets/fund',
      () => ({ amount: true, wallet_id: funded.id }),
      /^amount must be a positive decimal number$/,
    ],
    [
      'an amount that is not a number',
      '/wallets/fund',
      () => ({ amount: 'ten', wallet_id: funded.id }),
      /^amount must be a decimal number$/,
    ],
    [
      'a non-UUID wallet_id',
      '/wallets/fund',
      () => ({ amount: 1, wallet_id: 'unique-key-126' }),
      /^wallet_id must be a UUID$/,
    ],
    [
      'non-UUID wallet ids in a transfer',
      '/wallets/transfer',
      () => ({ senderWalletId: 'a', receiverWalletId: 'b', amount: 1 }),
      /^senderWalletId must be a UUID; receiverWalletId must be a UUID$/,
    ],
    [
      'a zero amount',
      '/wallets/fund',
      () => ({ amount: 0, wallet_id: funded.id }),
      /^amount must be positive$/,
    ],
    [
      'a negative amount',
      '/wallets/transfer',
      () => ({ senderWalletId: funded.id, receiverWalletId: empty.id, amount: -5 }),
      /^amount must be positive$/,
    ],
    [
      'an amount too precise for USD',
      '/wallets/fund',
      () => ({ amount: 100.123, wallet_id: funded.id }),
      /^amount must have at most 2 decimal places/,
    ],
    [
      'an amount too precise for any currency',
      '/wallets/fund',
      () => ({ amount: 0.0001, wallet_id: funded.id }),
      /^amount must have at most 3 decimal places$/,
    ],
    [
      'an unknown field',
      '/wallets/fund',
      () => ({ amount: 1, wallet_id: funded.id, walletId: funded.id }),
      /walletId/,
    ],
    ['a body that is not an object', '/wallets/fund', () => [1, 2], /object/],
    [
      'an empty idempotency key',
      '/wallets/fund',
      () => ({ amount: 1, wallet_id: funded.id, idempotencyKey: '' }),
      /^idempotencyKey must not be empty/,
    ],
  ];

  it.each(cases)('%s', async (_name, path, body, message) => {
    const result = await api.http.post(path, body());
    expect(expectRestError(result, 422, path, 'INVALID_INPUT')).toMatch(message);
  });

  it('names each wrong field in details, one issue per problem', async () => {
    const result = await api.http.post('/wallets/fund', { amount: 0, wallet_id: 'x' });
    const message = expectRestError(result, 422, '/wallets/fund', 'INVALID_INPUT');
    expect(message).toBe('wallet_id must be a UUID; amount must be positive');
    expect((result.body as { details?: unknown }).details).toEqual({
      issues: [
        { field: 'wallet_id', message: 'wallet_id must be a UUID' },
        { field: 'amount', message: 'amount must be positive' },
      ],
    });
  });

  it('moved no money for any of them', async () => {
    expect(await balanceOf(funded.id)).toBe(100);
    expect(await balanceOf(empty.id)).toBe(0);
  });

  it('an amount a double cannot hold reaches validation as written, not rounded to 100.5', async () => {
    const text = `{"amount": 100.500000000000001, "wallet_id": "${funded.id}"}`;
    const result = await api.http.postRaw('/wallets/fund', text);
    expect(expectRestError(result, 422, '/wallets/fund')).toMatch(/^amount must have at most/);
    expect(await balanceOf(funded.id)).toBe(100);
  });

  it('a 30-digit amount is too large, not rounded', async () => {
    const text = `{"amount": 123456789012345678901234567890, "wallet_id": "${funded.id}"}`;
    const result = await api.http.postRaw('/wallets/fund', text);
    expect(expectRestError(result, 422, '/wallets/fund')).toMatch(/^amount must not exceed/);
  });

  it('a balance past the limit is refused', async () => {
    const wallet = await createWallet(api.http);
    await fundWallet(api.http, wallet.id, 9_999_999_999_999.99);
    const result = await api.http.post('/wallets/fund', { amount: 0.01, wallet_id: wallet.id });
    expect(expectRestError(result, 400, '/wallets/fund', 'BALANCE_LIMIT_EXCEEDED')).toMatch(
      /cannot hold more than/,
    );
  });

  it('bad query parameters', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=two', 'cursor=', 'extra=1']) {
      const path = `/wallets?${query}`;
      expectRestError(await api.http.get(path), 422, path);
    }
    const path = `/wallets/${funded.id}/transactions?type=REFUND`;
    expect(expectRestError(await api.http.get(path), 422, path)).toMatch(/^type must be one of/);
  });

  it('a cursor the ledger did not make', async () => {
    const path = `/wallets/${funded.id}/transactions?cursor=abc`;
    expect(expectRestError(await api.http.get(path), 422, path)).toMatch(/cursor/);
  });
});

describe('what the transport refuses', () => {
  it('413 for a body over the limit', async () => {
    const body = JSON.stringify({
      amount: 1,
      wallet_id: funded.id,
      description: 'x'.repeat(REQUEST_BODY_BYTES_MAX),
    });
    const result = await api.http.postRaw('/wallets/fund', body);
    expectRestError(result, 413, '/wallets/fund', 'PAYLOAD_TOO_LARGE');
    expect(await balanceOf(funded.id)).toBe(100);
  });

  it('415 for a body that is not JSON', async () => {
    const result = await api.http.postRaw('/wallets', 'currency=USD', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectRestError(result, 415, '/wallets', 'UNSUPPORTED_MEDIA_TYPE');
    const text = await api.http.postRaw('/wallets/fund', '{}', { 'content-type': 'text/plain' });
    expectRestError(text, 415, '/wallets/fund', 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('the service routes', () => {
  it('GET /healthz answers ok while the database does', async () => {
    const result = await api.http.get('/healthz');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json is an OpenAPI 3.1 document of the REST routes', async () => {
    const result = await api.http.get('/openapi.json');
    expect(result.status).toBe(200);
    const document = result.body as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // The probes (/healthz, /readyz) are the orchestrator's, like /metrics: not in it.
    expect(Object.keys(document.paths).sort()).toEqual([
      '/events',
      '/holds',
      '/holds/{id}',
      '/holds/{id}/capture',
      '/holds/{id}/void',
      '/transactions/{id}',
      '/transactions/{id}/reverse',
      '/wallets',
      '/wallets/fund',
      '/wallets/transfer',
      '/wallets/withdraw',
      '/wallets/{id}',
      '/wallets/{id}/balance',
      '/wallets/{id}/balance-series',
      '/wallets/{id}/statement.csv',
      '/wallets/{id}/transactions',
      '/webhooks',
      '/webhooks/{id}',
      '/webhooks/{id}/deliveries',
      '/webhooks/{id}/deliveries/{delivery_id}/retry',
      '/webhooks/{id}/rotate-secret',
    ]);
    expect(Object.keys(document.paths['/wallets'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(document.paths['/wallets/fund']?.post?.responses).toHaveProperty('409');
    expect(document.paths['/wallets/fund']?.post?.responses).toHaveProperty('401');
    expect(document.paths['/wallets/fund']?.post?.responses).toHaveProperty('429');
  });

  it("documents the Idempotency-Key header on every write, and the fields of a used key's 409", async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { in: string; name: string; required?: boolean }[];
            responses: Record<string, DocumentedResponse>;
          }
        >
      >;
    };
    for (const path of [
      '/wallets',
      '/wallets/fund',
      '/wallets/transfer',
      '/transactions/{id}/reverse',
    ]) {
      const write = document.paths[path]?.post;
      expect(write?.parameters, path).toContainEqual(
        expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false }),
      );
      const conflict = write?.responses['409']?.content['application/json']?.schema;
      expect(Object.keys(conflict?.properties ?? {}), path).toEqual(
        expect.arrayContaining(['original_transaction_id', 'wallet_id', 'same_request']),
      );
      expect(conflict?.required, path).toContain('same_request');
    }
  });

  it('describes each error response from the catalogue, with `code` and `details` in its schema', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, DocumentedResponse> }>>;
    };
    const transfer = document.paths['/wallets/transfer']?.post?.responses ?? {};
    const refused = transfer['400'];
    for (const code of [
      'INSUFFICIENT_FUNDS',
      'CURRENCY_MISMATCH',
      'SAME_WALLET_TRANSFER',
    ] as const) {
      expect(refused?.description).toContain(`${code}: ${ERROR_CATALOGUE[code].description}`);
    }
    const schema = refused?.content['application/json']?.schema;
    expect(schema?.properties?.code?.enum).toEqual([...ERROR_CODES]);
    expect(schema?.properties).toHaveProperty('details');
    expect(schema?.required?.sort()).toEqual(
      ['code', 'error', 'message', 'path', 'statusCode', 'timestamp'].sort(),
    );
    const byId = document.paths['/wallets/{id}']?.get?.responses ?? {};
    expect(byId['414']?.description).toContain(`longer than ${ROUTE_PARAM_LENGTH_MAX} characters`);
  });

  it('the 414 the description promises: a segment past the limit, not one of 101 characters', async () => {
    const within = `/wallets/${'a'.repeat(101)}`;
    expectRestError(await api.http.get(within), 400, within, 'INVALID_PATH');
    const past = `/wallets/${'a'.repeat(ROUTE_PARAM_LENGTH_MAX + 1)}`;
    expectRestError(await api.http.get(past), 414, past, 'URI_TOO_LONG');
  });
});
