import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppRouter } from '../src/index';
import { createContextInner } from '../src/trpc/init';
import { createCaller } from '../src/trpc/root';
import { parseAmountMinor } from '@wallet/contract';
import { externalAccountIdOf } from '@wallet/ledger';

import { startApi, UNKNOWN_WALLET_ID, UUID, type RunningApi } from './support/api';
import { bearer } from './support/api';

/** The procedures through a real @trpc/client over HTTP, and once through createCaller. */

let api: RunningApi;
let trpc: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  api = await startApi();
  trpc = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${api.baseUrl}/trpc`,
        transformer: superjson,
        headers: bearer(api.keys.admin),
      }),
    ],
  });
});

afterAll(async () => {
  await api.close();
});

/** The error a call rejects with, typed by the router (fails the test if the call succeeds). */
async function failureOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error: unknown = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}

async function fundedWallet(amount: string) {
  const wallet = await trpc.wallets.create.mutate({});
  await trpc.wallets.fund.mutate({ walletId: wallet.id, amount });
  return wallet;
}

describe('procedures', () => {
  it('wallets.create: USD by default, money as exact text, dates as Date', async () => {
    const wallet = await trpc.wallets.create.mutate({});
    expect(wallet).toMatchObject({ currency: 'USD', balance: '0.00' });
    expect(wallet.id).toMatch(UUID);
    expect(wallet.createdAt).toBeInstanceOf(Date);
    const yen = await trpc.wallets.create.mutate({ currency: 'JPY' });
    expect(yen).toMatchObject({ currency: 'JPY', balance: '0' });
  });

  it('wallets.fund: the wallet and the entry it wrote', async () => {
    const { id } = await trpc.wallets.create.mutate({});
    const result = await trpc.wallets.fund.mutate({
      walletId: id,
      amount: 100.5,
      description: 'Initial funding',
    });
    expect(result.wallet).toMatchObject({ id, balance: '100.50' });
    expect(result.transaction).toMatchObject({
      walletId: id,
      type: 'FUND',
      currency: 'USD',
      amount: '100.50',
      balanceBefore: '0.00',
      balanceAfter: '100.50',
      sequence: 1,
      description: 'Initial funding',
    });
    const exact = await trpc.wallets.fund.mutate({ walletId: id, amount: '0.1' });
    expect(exact.wallet.balance).toBe('100.60');
  });

  it('wallets.transfer: both wallets and the transfer id', async () => {
    const sender = await fundedWallet('10');
    const receiver = await trpc.wallets.create.mutate({});
    const result = await trpc.wallets.transfer.mutate({
      senderWalletId: sender.id,
      receiverWalletId: receiver.id,
      amount: '2.75',
    });
    expect(result.transferId).toMatch(UUID);
    expect(result.sender).toMatchObject({ id: sender.id, balance: '7.25' });
    expect(result.receiver).toMatchObject({ id: receiver.id, balance: '2.75' });
  });

  it('wallets.withdraw: the wallet and the WITHDRAWAL it wrote; refusals carry their codes', async () => {
    const wallet = await fundedWallet('10');
    const result = await trpc.wallets.withdraw.mutate({
      walletId: wallet.id,
      amount: '2.75',
      description: 'Payout',
    });
    expect(result.wallet).toMatchObject({ id: wallet.id, balance: '7.25' });
    expect(result.transaction).toMatchObject({
      walletId: wallet.id,
      type: 'WITHDRAWAL',
      amount: '2.75',
      balanceBefore: '10.00',
      balanceAfter: '7.25',
      description: 'Payout',
    });
    const overdraft = await failureOf(
      trpc.wallets.withdraw.mutate({ walletId: wallet.id, amount: '7.26' }),
    );
    expect(overdraft.data?.code).toBe('BAD_REQUEST');
    expect(overdraft.data?.ledgerCode).toBe('INSUFFICIENT_FUNDS');
    const external = await failureOf(
      trpc.wallets.withdraw.mutate({ walletId: externalAccountIdOf('USD'), amount: '1' }),
    );
    expect(external.data?.ledgerCode).toBe('WALLET_NOT_FOUND');
    const key = `w-${wallet.id}`;
    const first = await trpc.wallets.withdraw.mutate({
      walletId: wallet.id,
      amount: 1,
      idempotencyKey: key,
    });
    const replay = await failureOf(
      trpc.wallets.withdraw.mutate({ walletId: wallet.id, amount: 1, idempotencyKey: key }),
    );
    expect(replay.data?.code).toBe('CONFLICT');
    expect(replay.data?.ledgerDetails).toEqual({
      idempotencyKey: key,
      originalTransactionId: first.transaction.id,
      sameRequest: true,
    });
    const totals = (await trpc.ledger.totals.query()).find((total) => total.currency === 'USD');
    expect(totals?.withdrawals).toMatch(/^\d+\.\d{2}$/);
  });

  it('wallets.byId: the wallet with its latest transactions', async () => {
    const wallet = await fundedWallet('5');
    await trpc.wallets.fund.mutate({ walletId: wallet.id, amount: '1.5' });
    const found = await trpc.wallets.byId.query({ walletId: wallet.id });
    expect(found.balance).toBe('6.50');
    expect(found.transactions.map((entry) => entry.amount)).toEqual(['1.50', '5.00']);
    expect(found.transactions[0]?.createdAt).toBeInstanceOf(Date);
    expect(found.nextCursor).toBeNull();
  });

  it('wallets.list pages by cursor; batched calls share one request', async () => {
    const first = await trpc.wallets.list.query({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const [second, again] = await Promise.all([
      trpc.wallets.list.query({ limit: 1, cursor: first.nextCursor ?? undefined }),
      trpc.wallets.list.query({ limit: 1 }),
    ]);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    expect(again.items[0]?.id).toBe(first.items[0]?.id);
  });

  it('wallets.transactions pages and filters a history', async () => {
    const wallet = await fundedWallet('1');
    await trpc.wallets.fund.mutate({ walletId: wallet.id, amount: '2' });
    await trpc.wallets.fund.mutate({ walletId: wallet.id, amount: '3' });
    const page = await trpc.wallets.transactions.query({ walletId: wallet.id, limit: 2 });
    expect(page.items.map((entry) => entry.amount)).toEqual(['3.00', '2.00']);
    const rest = await trpc.wallets.transactions.query({
      walletId: wallet.id,
      limit: 2,
      cursor: page.nextCursor ?? undefined,
    });
    expect(rest.items.map((entry) => entry.amount)).toEqual(['1.00']);
    expect(rest.nextCursor).toBeNull();
    const out = await trpc.wallets.transactions.query({
      walletId: wallet.id,
      type: 'TRANSFER_OUT',
    });
    expect(out.items).toEqual([]);
  });

  it('a large batch of queries travels as one request', async () => {
    const wallet = await fundedWallet('1');
    // Thirty procedure names make a path segment far longer than Fastify's default limit.
    const results = await Promise.all(
      Array.from({ length: 30 }, () => trpc.wallets.byId.query({ walletId: wallet.id })),
    );
    expect(results.map((result) => result.balance)).toEqual(Array(30).fill('1.00'));
  });

  it('ledger.totals and ledger.verify: money conserved, no violations', async () => {
    const before = await trpc.ledger.totals.query();
    const usdBefore = before.find((total) => total.currency === 'USD');
    const a = await fundedWallet('10.25');
    const b = await trpc.wallets.create.mutate({});
    await trpc.wallets.transfer.mutate({
      senderWalletId: a.id,
      receiverWalletId: b.id,
      amount: '0.25',
    });
    const usd = (await trpc.ledger.totals.query()).find((total) => total.currency === 'USD');
    expect(usd?.walletCount).toBe((usdBefore?.walletCount ?? 0) + 2);
    // Balances are the fundings less the withdrawals (exactly, in minor units).
    const minor = (text: string | undefined) => parseAmountMinor(text ?? '', 2);
    expect(minor(usd?.balances)).toBe(minor(usd?.fundings) - minor(usd?.withdrawals));
    const report = await trpc.ledger.verify.query();
    expect(report.violations).toEqual([]);
    expect(report.totals).toContainEqual(usd);
    expect(report.checkedAt).toBeInstanceOf(Date);
  });
});

describe('errors carry the tRPC code and the ledger code', () => {
  it('NOT_FOUND for an unknown wallet', async () => {
    const error = await failureOf(trpc.wallets.byId.query({ walletId: UNKNOWN_WALLET_ID }));
    expect(error.data?.code).toBe('NOT_FOUND');
    expect(error.data?.httpStatus).toBe(404);
    expect(error.data?.ledgerCode).toBe('WALLET_NOT_FOUND');
    expect(error.message).toContain(UNKNOWN_WALLET_ID);
    // NODE_ENV is "test": no stack traces leave the server.
    expect(error.data?.stack).toBeUndefined();
  });

  it('BAD_REQUEST for insufficient funds', async () => {
    const sender = await fundedWallet('1');
    const receiver = await trpc.wallets.create.mutate({});
    const error = await failureOf(
      trpc.wallets.transfer.mutate({
        senderWalletId: sender.id,
        receiverWalletId: receiver.id,
        amount: '1.01',
      }),
    );
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.ledgerCode).toBe('INSUFFICIENT_FUNDS');
  });

  it('CONFLICT for a reused idempotency key', async () => {
    const { id } = await trpc.wallets.create.mutate({});
    const first = await trpc.wallets.fund.mutate({
      walletId: id,
      amount: '1',
      idempotencyKey: 'trpc-key',
    });
    const error = await failureOf(
      trpc.wallets.fund.mutate({ walletId: id, amount: '1', idempotencyKey: 'trpc-key' }),
    );
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.data?.ledgerCode).toBe('DUPLICATE_IDEMPOTENCY_KEY');
    expect(error.data?.ledgerDetails).toEqual({
      idempotencyKey: 'trpc-key',
      originalTransactionId: first.transaction.id,
      sameRequest: true,
    });
    expect((await trpc.wallets.byId.query({ walletId: id })).balance).toBe('1.00');
  });

  it('CONFLICT for a reused wallet key, naming the wallet; keys are per credential', async () => {
    const key = `trpc-wallet-${Date.now()}`;
    const wallet = await trpc.wallets.create.mutate({ currency: 'GBP', idempotencyKey: key });
    const retry = await failureOf(
      trpc.wallets.create.mutate({ currency: 'GBP', idempotencyKey: key }),
    );
    expect(retry.data?.ledgerCode).toBe('DUPLICATE_IDEMPOTENCY_KEY');
    expect(retry.data?.ledgerDetails).toEqual({
      idempotencyKey: key,
      walletId: wallet.id,
      sameRequest: true,
    });
    // The operator's key is another owner: the same idempotency key makes its own wallet.
    const operator = createCaller(
      createContextInner({
        ledger: api.ledger,
        access: api.access,
        auth: { principal: await api.access.authenticateApiKey(api.keys.operator) },
      }),
    );
    const theirs = await operator.wallets.create({ currency: 'GBP', idempotencyKey: key });
    expect(theirs.id).not.toBe(wallet.id);
  });

  it('transactions.byId: a transfer with both legs; NOT_FOUND for an unknown id', async () => {
    const sender = await fundedWallet('5');
    const receiver = await trpc.wallets.create.mutate({});
    const { transferId } = await trpc.wallets.transfer.mutate({
      senderWalletId: sender.id,
      receiverWalletId: receiver.id,
      amount: '2',
    });
    const transfer = await trpc.transactions.byId.query({ transactionId: transferId });
    expect(transfer).toMatchObject({ id: transferId, kind: 'TRANSFER', amount: '2.00' });
    expect(transfer.createdAt).toBeInstanceOf(Date);
    expect(transfer.legs.map((leg) => [leg.type, leg.walletId])).toEqual([
      ['TRANSFER_OUT', sender.id],
      ['TRANSFER_IN', receiver.id],
    ]);
    const missing = await failureOf(
      trpc.transactions.byId.query({ transactionId: UNKNOWN_WALLET_ID }),
    );
    expect(missing.data?.ledgerCode).toBe('TRANSACTION_NOT_FOUND');
  });

  it('UNPROCESSABLE_CONTENT for input the schema refuses, with the same message as REST', async () => {
    const error = await failureOf(trpc.wallets.fund.mutate({ walletId: 'x', amount: 0 }));
    expect(error.data?.code).toBe('UNPROCESSABLE_CONTENT');
    expect(error.data?.httpStatus).toBe(422);
    expect(error.data?.ledgerCode).toBe('INVALID_INPUT');
    expect(error.message).toBe('walletId must be a UUID; amount must be positive');
  });

  it('UNPROCESSABLE_CONTENT for input the ledger refuses (too precise for USD)', async () => {
    const { id } = await trpc.wallets.create.mutate({});
    const error = await failureOf(trpc.wallets.fund.mutate({ walletId: id, amount: '1.001' }));
    expect(error.data?.code).toBe('UNPROCESSABLE_CONTENT');
    expect(error.data?.ledgerCode).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^amount must have at most 2 decimal places/);
  });
});

describe('createCaller', () => {
  it('calls the procedures in-process, with the same error mapping', async () => {
    const caller = createCaller(
      createContextInner({
        ledger: api.ledger,
        access: api.access,
        auth: { principal: await api.access.authenticateApiKey(api.keys.operator) },
      }),
    );
    const wallet = await caller.wallets.create({ currency: 'EUR' });
    const { wallet: funded } = await caller.wallets.fund({ walletId: wallet.id, amount: '12.34' });
    expect(funded).toMatchObject({ id: wallet.id, currency: 'EUR', balance: '12.34' });
    const page = await caller.wallets.list({ limit: 100 });
    expect(page.items.map((item) => item.id)).toContain(wallet.id);
    await expect(caller.wallets.byId({ walletId: UNKNOWN_WALLET_ID })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      cause: { code: 'WALLET_NOT_FOUND' },
    });
  });
});
