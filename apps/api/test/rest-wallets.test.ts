import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createWallet,
  expectFundResult,
  expectTransaction,
  expectWallet,
  fundWallet,
  startApi,
  type RunningApi,
  type TransactionBody,
  UUID,
  WALLET_KEYS,
  type WalletBody,
} from './support/api';

/** The documented endpoints and the two paginated lists, over real HTTP, on their happy paths. */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

describe('POST /wallets', () => {
  it('creates a USD wallet with a zero balance by default (201, the bare wallet)', async () => {
    const result = await api.http.post('/wallets', {});
    expect(result.status).toBe(201);
    const wallet = expectWallet(result.body);
    expect(wallet.currency).toBe('USD');
    expect(result.text).toContain('"balance":0,');
    expect(wallet.createdAt).toBe(wallet.updatedAt);
  });

  it('treats a request without a body as {}', async () => {
    const result = await api.http.post('/wallets');
    expect(result.status).toBe(201);
    expect(expectWallet(result.body).currency).toBe('USD');
  });

  it('treats an empty JSON body as {}', async () => {
    const result = await api.http.postRaw('/wallets', '');
    expect(result.status).toBe(201);
    expect(expectWallet(result.body).currency).toBe('USD');
  });

  it('creates a wallet in another supported currency', async () => {
    const wallet = await createWallet(api.http, 'EUR');
    expect(wallet.currency).toBe('EUR');
    expect(wallet.balance).toBe(0);
  });
});

describe('POST /wallets/fund', () => {
  it('adds the amount and answers with the wallet, balance as a JSON number', async () => {
    const { id } = await createWallet(api.http);
    const result = await api.http.post('/wallets/fund', {
      amount: 100.5,
      wallet_id: id,
      idempotencyKey: 'fund-100.5',
      description: 'Initial funding',
    });
    expect(result.status).toBe(200);
    const wallet = expectFundResult(result.body);
    expect(wallet.id).toBe(id);
    expect(wallet.balance).toBe(100.5);
    expect(result.text).toContain('"balance":100.5,');
  });

  it('is exact: 0.1 then 0.2 make 0.3', async () => {
    const { id } = await createWallet(api.http);
    await fundWallet(api.http, id, 0.1);
    const result = await api.http.post('/wallets/fund', { amount: 0.2, wallet_id: id });
    expect(result.status).toBe(200);
    expect(expectFundResult(result.body).balance).toBe(0.3);
    expect(result.text).toContain('"balance":0.3,');
  });

  it('accepts the amount as decimal text too', async () => {
    const { id } = await createWallet(api.http);
    expect((await fundWallet(api.http, id, '100.50')).balance).toBe(100.5);
  });

  it('takes as many decimals as the currency has (JPY none, KWD three)', async () => {
    const yen = await createWallet(api.http, 'JPY');
    expect((await fundWallet(api.http, yen.id, 1500)).balance).toBe(1500);
    const dinar = await createWallet(api.http, 'KWD');
    expect((await fundWallet(api.http, dinar.id, 1.234)).balance).toBe(1.234);
  });

  it('carries the largest balance exactly', async () => {
    const { id } = await createWallet(api.http);
    const wallet = await fundWallet(api.http, id, 9_999_999_999_999.99);
    expect(wallet.balance).toBe(9_999_999_999_999.99);
  });
});

describe('POST /wallets/transfer', () => {
  it('moves the amount and answers with both wallets', async () => {
    const sender = await createWallet(api.http);
    const receiver = await createWallet(api.http);
    await fundWallet(api.http, sender.id, 100.5);
    const result = await api.http.post('/wallets/transfer', {
      senderWalletId: sender.id,
      receiverWalletId: receiver.id,
      amount: 50.25,
      idempotencyKey: 'transfer-50.25',
      description: 'Payment for services',
    });
    expect(result.status).toBe(200);
    const body = result.body as { sender: unknown; receiver: unknown; transactionId: unknown };
    // The documented two, and the transfer's id (an addition).
    expect(Object.keys(body).sort()).toEqual(['receiver', 'sender', 'transactionId']);
    expect(body.transactionId).toMatch(UUID);
    const after = { sender: expectWallet(body.sender), receiver: expectWallet(body.receiver) };
    expect(after.sender).toMatchObject({ id: sender.id, balance: 50.25 });
    expect(after.receiver).toMatchObject({ id: receiver.id, balance: 50.25 });
  });
});

describe('GET /wallets/:id', () => {
  it('answers with the wallet and its latest transactions, newest first', async () => {
    const wallet = await createWallet(api.http);
    const other = await createWallet(api.http);
    await fundWallet(api.http, wallet.id, 100.5, { description: 'Initial funding' });
    const transfer = await api.http.post('/wallets/transfer', {
      senderWalletId: wallet.id,
      receiverWalletId: other.id,
      amount: 0.5,
    });
    expect(transfer.status).toBe(200);

    const result = await api.http.get(`/wallets/${wallet.id}`);
    expect(result.status).toBe(200);
    const body = result.body as WalletBody & { transactions: unknown[] };
    // The documented keys, with status and metadata (added deliberately: WALLET_KEYS).
    expect(Object.keys(body).sort()).toEqual([...WALLET_KEYS, 'transactions'].sort());
    expect(body.balance).toBe(100);
    const [out, fund] = body.transactions.map(expectTransaction);
    expect(body.transactions).toHaveLength(2);
    expect(fund).toMatchObject({
      walletId: wallet.id,
      type: 'FUND',
      amount: 100.5,
      balanceBefore: 0,
      balanceAfter: 100.5,
      description: 'Initial funding',
      counterpartyWalletId: null,
      transferId: null,
    });
    expect(out).toMatchObject({
      type: 'TRANSFER_OUT',
      amount: 0.5,
      balanceBefore: 100.5,
      balanceAfter: 100,
      description: null,
      counterpartyWalletId: other.id,
    });

    const received = await api.http.get(`/wallets/${other.id}`);
    const [into] = (received.body as { transactions: TransactionBody[] }).transactions;
    expect(into).toMatchObject({
      type: 'TRANSFER_IN',
      amount: 0.5,
      counterpartyWalletId: wallet.id,
    });
    // Both legs of one transfer carry its id.
    expect(into?.transferId).toBe(out?.transferId);
    expect(out?.transferId).toEqual(expect.any(String));
  });

  it('embeds only the latest page of a long history', async () => {
    const { id } = await createWallet(api.http);
    for (let i = 1; i <= 25; i++) await fundWallet(api.http, id, i);
    const result = await api.http.get(`/wallets/${id}`);
    const { transactions } = result.body as { transactions: TransactionBody[] };
    expect(transactions).toHaveLength(20);
    expect(transactions[0]?.amount).toBe(25);
    expect(transactions[19]?.amount).toBe(6);
  });
});

describe('GET /wallets', () => {
  it('pages through every wallet, newest first, without repeats', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createWallet(api.http)).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const result = await api.http.get(`/wallets?limit=2${query}`);
      expect(result.status).toBe(200);
      const page = result.body as { items: unknown[]; nextCursor: string | null };
      expect(Object.keys(page).sort()).toEqual(['items', 'nextCursor']);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => expectWallet(item).id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 100);

    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    // The five made last come first, newest first.
    expect(seen.slice(0, 5)).toEqual([...created].reverse());
    const all = await api.http.get('/wallets?limit=100');
    expect((all.body as { items: unknown[] }).items).toHaveLength(seen.length);
  });

  it('lists the wallets of one currency with ?currency=, and refuses an unknown one with 422', async () => {
    const cad = [
      (await createWallet(api.http, 'CAD')).id,
      (await createWallet(api.http, 'CAD')).id,
    ];
    await createWallet(api.http, 'USD');
    const result = await api.http.get('/wallets?currency=CAD');
    expect(result.status).toBe(200);
    const items = (result.body as { items: unknown[] }).items.map(expectWallet);
    expect(items.map((wallet) => wallet.id)).toEqual(cad.toReversed());
    const unknown = await api.http.get('/wallets?currency=XYZ');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ statusCode: 422, path: '/wallets?currency=XYZ' });
  });

  it('uses the default page size without a limit', async () => {
    const result = await api.http.get('/wallets');
    expect(result.status).toBe(200);
    expect((result.body as { items: unknown[] }).items.length).toBeLessThanOrEqual(20);
  });
});

describe('GET /wallets/:id/transactions', () => {
  it('pages through the history, newest first', async () => {
    const { id } = await createWallet(api.http);
    for (const amount of [1, 2, 3, 4, 5]) await fundWallet(api.http, id, amount);

    const amounts: number[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const result = await api.http.get(`/wallets/${id}/transactions?limit=2${query}`);
      expect(result.status).toBe(200);
      const page = result.body as { items: unknown[]; nextCursor: string | null };
      const items = page.items.map(expectTransaction);
      pageSizes.push(items.length);
      amounts.push(...items.map((item) => item.amount));
      cursor = page.nextCursor;
    } while (cursor !== null && pageSizes.length < 10);

    expect(pageSizes).toEqual([2, 2, 1]);
    expect(amounts).toEqual([5, 4, 3, 2, 1]);
  });

  it('filters by type', async () => {
    const sender = await createWallet(api.http);
    const receiver = await createWallet(api.http);
    await fundWallet(api.http, sender.id, 10);
    await fundWallet(api.http, sender.id, 20);
    const transfer = await api.http.post('/wallets/transfer', {
      senderWalletId: sender.id,
      receiverWalletId: receiver.id,
      amount: 7,
    });
    expect(transfer.status).toBe(200);

    const outgoing = await api.http.get(`/wallets/${sender.id}/transactions?type=TRANSFER_OUT`);
    const outItems = (outgoing.body as { items: TransactionBody[] }).items;
    expect(outItems.map((item) => [item.type, item.amount])).toEqual([['TRANSFER_OUT', 7]]);

    const funds = await api.http.get(`/wallets/${sender.id}/transactions?type=FUND`);
    const fundItems = (funds.body as { items: TransactionBody[] }).items;
    expect(fundItems.map((item) => item.amount)).toEqual([20, 10]);
  });
});
