import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bearer, createWallet, fundWallet, startApi, type RunningApi } from './support/api';
import { trpcClientOf, type TrpcClient } from './support/trpc-client';

/**
 * Statements and balances in time over REST and tRPC: the CSV export (streamed, in the
 * documented error shape when refused), the history's period and counterparty filters,
 * and the balance as of a moment.
 */

let api: RunningApi;
let trpc: TrpcClient;
let walletId = '';
let otherId = '';
let between = '';

beforeAll(async () => {
  api = await startApi();
  trpc = trpcClientOf(api.baseUrl, api.keys['read-only']);
  walletId = (await createWallet(api.http)).id;
  otherId = (await createWallet(api.http)).id;
  await fundWallet(api.http, walletId, 10, { description: '=HYPERLINK("x"), "quoted"' });
  between = new Date(Date.now() + 1).toISOString();
  // The next batch starts after `between` was taken: its entries are stamped later.
  await waitUntilPast(between);
  const transfer = await api.http.post('/wallets/transfer', {
    senderWalletId: walletId,
    receiverWalletId: otherId,
    amount: 2.5,
  });
  expect(transfer.status, transfer.text).toBe(200);
});

afterAll(async () => {
  await api.close();
});

/** Resolves once the clock has passed `moment` (a millisecond at most). */
async function waitUntilPast(moment: string): Promise<void> {
  while (Date.now() <= Date.parse(moment)) await new Promise(setImmediate);
}

describe('GET /wallets/:id/statement.csv', () => {
  it('streams the opening balance, the entries oldest first and the closing balance', async () => {
    const response = await fetch(`${api.baseUrl}/wallets/${walletId}/statement.csv`, {
      headers: bearer(api.keys['read-only']),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe(
      'date,sequence,transaction_id,type,description,counterparty_wallet_id,amount,balance,currency',
    );
    expect(lines[1]).toBe(',,,OPENING_BALANCE,,,,0.00,USD');
    // A formula-looking description is neutralised, and its quotes escaped.
    expect(lines[2]).toMatch(
      /^\S+,1,[0-9a-f-]{36},FUND,"'=HYPERLINK\(""x""\), ""quoted""",,10\.00,10\.00,USD$/,
    );
    expect(lines[3]).toMatch(
      new RegExp(`,2,[0-9a-f-]{36},TRANSFER_OUT,,${otherId},-2\\.50,7\\.50,USD$`),
    );
    expect(lines[4]).toBe(',,,CLOSING_BALANCE,,,,7.50,USD');
    expect(lines[5]).toBe('');
  });

  it('covers a period: from inclusive, to exclusive', async () => {
    const response = await fetch(
      `${api.baseUrl}/wallets/${walletId}/statement.csv?to=${encodeURIComponent(between)}`,
      { headers: bearer(api.keys['read-only']) },
    );
    expect(response.status).toBe(200);
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines.map((line) => line.split(',')[3])).toEqual([
      'type',
      'OPENING_BALANCE',
      'FUND',
      'CLOSING_BALANCE',
    ]);
    expect(lines.at(-1)).toBe(`${between},,,CLOSING_BALANCE,,,,10.00,USD`);
  });

  it('refuses an unknown wallet, a reversed period and no credential in the documented shape', async () => {
    const unknown = await api.http.get(
      '/wallets/0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b/statement.csv',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    const reversed = await api.http.get(
      `/wallets/${walletId}/statement.csv?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`,
    );
    expect(reversed.status).toBe(422);
    expect(reversed.body).toMatchObject({ statusCode: 422 });
    expect((reversed.body as { message: string }).message).toContain('from');
    const bad = await api.http.get(`/wallets/${walletId}/statement.csv?from=yesterday`);
    expect(bad.status).toBe(422);
    const anonymous = await api.clients.anonymous.get(`/wallets/${walletId}/statement.csv`);
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /wallets/:id/transactions filters', () => {
  it('by period and by counterparty', async () => {
    const since = await api.http.get(
      `/wallets/${walletId}/transactions?from=${encodeURIComponent(between)}`,
    );
    expect(since.status).toBe(200);
    expect((since.body as { items: { type: string }[] }).items.map((item) => item.type)).toEqual([
      'TRANSFER_OUT',
    ]);
    const withOther = await api.http.get(
      `/wallets/${otherId}/transactions?counterpartyWalletId=${walletId}`,
    );
    expect((withOther.body as { items: { type: string }[] }).items.map((i) => i.type)).toEqual([
      'TRANSFER_IN',
    ]);
  });
});

describe('tRPC wallets.balanceAsOf and wallets.statement', () => {
  it('answers the balance at a moment and a statement page, money as exact text', async () => {
    const then = await trpc.wallets.balanceAsOf.query({ walletId, asOf: between });
    expect(then).toMatchObject({ balance: '10.00', sequence: 1, currency: 'USD' });
    expect(then.asOf).toBeInstanceOf(Date);
    const page = await trpc.wallets.statement.query({ walletId, from: between });
    expect(page).toMatchObject({
      openingBalance: '10.00',
      closingBalance: '7.50',
      nextCursor: null,
    });
    expect(page.items.map((item) => item.amount)).toEqual(['2.50']);
  });
});
