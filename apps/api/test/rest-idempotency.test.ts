import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  bearer,
  createWallet,
  expectFundResult,
  expectRestError,
  expectTransaction,
  expectWallet,
  fundWallet,
  httpClient,
  startApi,
  UNKNOWN_WALLET_ID,
  UUID,
  type HttpClient,
  type HttpResult,
  type RunningApi,
} from './support/api';

/**
 * Retries that are safe for every client: the Idempotency-Key header, keys scoped to
 * the credential that sent them, a 409 that names only the caller's own transaction,
 * wallet creation with a key, and one transaction by id.
 */

let api: RunningApi;
/** Two integrators, each with its own operator key. */
let alice: HttpClient;
let bob: HttpClient;

beforeAll(async () => {
  api = await startApi();
  const keyOf = async (name: string) =>
    (await api.access.createApiKey({ name, role: 'operator' }, { actor: 'system' })).apiKey;
  alice = httpClient(api.baseUrl, bearer(await keyOf('alice')));
  bob = httpClient(api.baseUrl, bearer(await keyOf('bob')));
});

afterAll(async () => {
  await api.close();
});

/** POSTs `body` as JSON with an Idempotency-Key header. */
function postWithKey(
  client: HttpClient,
  path: string,
  body: unknown,
  key: string,
): Promise<HttpResult> {
  return client.postRaw(path, JSON.stringify(body), {
    'content-type': 'application/json',
    'idempotency-key': key,
  });
}

async function balanceOf(walletId: string): Promise<number> {
  return ((await api.http.get(`/wallets/${walletId}`)).body as { balance: number }).balance;
}

describe('the Idempotency-Key header', () => {
  it('is the key of a fund: a retry with the header alone is a 409 and pays once', async () => {
    const wallet = await createWallet(alice);
    const key = `hdr-${randomUUID()}`;
    const body = { wallet_id: wallet.id, amount: 5 };
    const first = await postWithKey(alice, '/wallets/fund', body, key);
    expect(first.status, first.text).toBe(200);
    const { transactionId } = expectFundResult(first.body);
    const retry = await postWithKey(alice, '/wallets/fund', body, key);
    expectRestError(retry, 409, '/wallets/fund', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(retry.body).toMatchObject({
      original_transaction_id: transactionId,
      same_request: true,
    });
    // The body field names the same key.
    const asField = await alice.post('/wallets/fund', { ...body, idempotencyKey: key });
    expect(asField.body).toMatchObject({ original_transaction_id: transactionId });
    expect(await balanceOf(wallet.id)).toBe(5);
  });

  it('may repeat the body field; a different one is a 422 and writes nothing', async () => {
    const sender = await createWallet(alice);
    const receiver = await createWallet(alice);
    await fundWallet(alice, sender.id, 10);
    const key = `both-${randomUUID()}`;
    const move = { senderWalletId: sender.id, receiverWalletId: receiver.id, amount: 1 };
    const mismatch = await postWithKey(
      alice,
      '/wallets/transfer',
      { ...move, idempotencyKey: `${key}-other` },
      key,
    );
    const message = expectRestError(mismatch, 422, '/wallets/transfer', 'INVALID_INPUT');
    expect(message).toMatch(/Idempotency-Key header and the body field idempotencyKey differ/);
    expect(await balanceOf(receiver.id)).toBe(0);
    const same = await postWithKey(
      alice,
      '/wallets/transfer',
      { ...move, idempotencyKey: key },
      key,
    );
    expect(same.status, same.text).toBe(200);
    expect((same.body as { transactionId: string }).transactionId).toMatch(UUID);
    expect(await balanceOf(receiver.id)).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['too long', 'k'.repeat(256)],
  ])('%s is a 422 in the documented shape', async (_name, key) => {
    const wallet = await createWallet(alice);
    const result = await postWithKey(
      alice,
      '/wallets/fund',
      { wallet_id: wallet.id, amount: 1 },
      key,
    );
    const message = expectRestError(result, 422, '/wallets/fund', 'INVALID_INPUT');
    expect(message).toMatch(/^idempotency-key /);
    expect(await balanceOf(wallet.id)).toBe(0);
  });
});

describe('keys are scoped to the credential', () => {
  it('two keys using one idempotency key at once both apply; each retry names only its own', async () => {
    const [aliceWallet, bobWallet] = await Promise.all([createWallet(alice), createWallet(bob)]);
    const key = `pay-${randomUUID()}`;
    const [aliceFirst, bobFirst] = await Promise.all([
      postWithKey(alice, '/wallets/fund', { wallet_id: aliceWallet.id, amount: 3 }, key),
      postWithKey(bob, '/wallets/fund', { wallet_id: bobWallet.id, amount: 4 }, key),
    ]);
    const aliceTx = expectFundResult(aliceFirst.body).transactionId;
    const bobTx = expectFundResult(bobFirst.body).transactionId;
    const [aliceRetry, bobRetry] = await Promise.all([
      postWithKey(alice, '/wallets/fund', { wallet_id: aliceWallet.id, amount: 3 }, key),
      postWithKey(bob, '/wallets/fund', { wallet_id: bobWallet.id, amount: 4 }, key),
    ]);
    expect(aliceRetry.body).toMatchObject({ original_transaction_id: aliceTx, same_request: true });
    expect(bobRetry.body).toMatchObject({ original_transaction_id: bobTx, same_request: true });
    expect(aliceRetry.text).not.toContain(bobTx);
    expect(bobRetry.text).not.toContain(aliceTx);
    // Bob sending Alice's request under the same key learns nothing of hers.
    const crossed = await postWithKey(
      bob,
      '/wallets/fund',
      { wallet_id: aliceWallet.id, amount: 3 },
      key,
    );
    expect(crossed.body).toMatchObject({ original_transaction_id: bobTx, same_request: false });
    expect(crossed.text).not.toContain(aliceTx);
    expect([await balanceOf(aliceWallet.id), await balanceOf(bobWallet.id)]).toEqual([3, 4]);
  });
});

describe('POST /wallets with an idempotency key', () => {
  it('the same key and body: one wallet, and the retry is a 409 naming it', async () => {
    const key = `w-${randomUUID()}`;
    const first = await postWithKey(alice, '/wallets', { currency: 'EUR' }, key);
    expect(first.status, first.text).toBe(201);
    const wallet = expectWallet(first.body);
    const retry = await alice.post('/wallets', { currency: 'EUR', idempotencyKey: key });
    const message = expectRestError(retry, 409, '/wallets', 'DUPLICATE_IDEMPOTENCY_KEY');
    expect(message).toContain(wallet.id);
    expect(retry.body).toMatchObject({ wallet_id: wallet.id, same_request: true });
    expect(retry.body).not.toHaveProperty('original_transaction_id');

    const other = await postWithKey(alice, '/wallets', { currency: 'USD' }, key);
    expect(expectRestError(other, 409, '/wallets', 'DUPLICATE_IDEMPOTENCY_KEY')).toMatch(
      /used by a different request/,
    );
    expect(other.body).toMatchObject({ wallet_id: wallet.id, same_request: false });
    // Another credential's equal key is its own.
    expect((await postWithKey(bob, '/wallets', { currency: 'EUR' }, key)).status).toBe(201);
  });
});

describe('GET /transactions/:id', () => {
  it('reads a funding and a transfer (both legs), to any reader', async () => {
    const sender = await createWallet(alice);
    const receiver = await createWallet(alice);
    const { transactionId: fundId } = await fundWallet(alice, sender.id, 2.5, {
      description: 'top-up',
    });
    const funding = await api.clients['read-only'].get(`/transactions/${fundId}`);
    expect(funding.status, funding.text).toBe(200);
    expect(funding.body).toMatchObject({
      id: fundId,
      type: 'FUND',
      currency: 'USD',
      amount: 2.5,
      description: 'top-up',
    });
    const [fundLeg] = (funding.body as { legs: unknown[] }).legs.map(expectTransaction);
    expect(fundLeg).toMatchObject({ id: fundId, walletId: sender.id, type: 'FUND' });

    const transfer = await alice.post('/wallets/transfer', {
      senderWalletId: sender.id,
      receiverWalletId: receiver.id,
      amount: 1,
    });
    const { transactionId } = transfer.body as { transactionId: string };
    const read = await bob.get(`/transactions/${transactionId}`);
    expect(read.body).toMatchObject({ id: transactionId, type: 'TRANSFER', amount: 1 });
    const legs = (read.body as { legs: unknown[] }).legs.map(expectTransaction);
    expect(legs.map((leg) => [leg.type, leg.walletId, leg.transferId])).toEqual([
      ['TRANSFER_OUT', sender.id, transactionId],
      ['TRANSFER_IN', receiver.id, transactionId],
    ]);
  });

  it('404 for an unknown id, 400 for a malformed one, 401 without a key', async () => {
    const unknown = `/transactions/${UNKNOWN_WALLET_ID}`;
    expectRestError(await api.http.get(unknown), 404, unknown, 'TRANSACTION_NOT_FOUND');
    expectRestError(
      await api.http.get('/transactions/nope'),
      400,
      '/transactions/nope',
      'INVALID_PATH',
    );
    expectRestError(await api.clients.anonymous.get(unknown), 401, unknown, 'UNAUTHENTICATED');
  });
});
