import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApi, UUID, type RunningApi } from './support/api';
import { trpcClientOf, trpcFailureOf, type TrpcClient } from './support/trpc-client';

/** transactions.reverse and the reversal links of transactions.byId, through @trpc/client. */

let api: RunningApi;
let trpc: TrpcClient;
let readOnly: TrpcClient;

beforeAll(async () => {
  api = await startApi();
  trpc = trpcClientOf(api.baseUrl, api.keys.operator);
  readOnly = trpcClientOf(api.baseUrl, api.keys['read-only']);
});

afterAll(async () => {
  await api.close();
});

describe('transactions.reverse', () => {
  it('reverses a withdrawal in parts; byId shows the link both ways', async () => {
    const wallet = await trpc.wallets.create.mutate({});
    await trpc.wallets.fund.mutate({ walletId: wallet.id, amount: '10' });
    const { transaction } = await trpc.wallets.withdraw.mutate({
      walletId: wallet.id,
      amount: '4',
    });
    const first = await trpc.transactions.reverse.mutate({
      transactionId: transaction.id,
      amount: '1.50',
      description: 'payout bounced',
    });
    expect(first).toMatchObject({
      originalTransactionId: transaction.id,
      amount: '1.50',
      reversedAmount: '1.50',
      remainingAmount: '2.50',
      wallets: [{ id: wallet.id, balance: '7.50' }],
    });
    expect(first.reversalId).toMatch(UUID);
    const original = await trpc.transactions.byId.query({ transactionId: transaction.id });
    expect(original).toMatchObject({
      kind: 'WITHDRAWAL',
      reversal: 'PARTIAL',
      reversedAmount: '1.50',
    });
    expect(original.reversals).toMatchObject([{ id: first.reversalId, amount: '1.50' }]);
    expect(original.reversals[0]?.createdAt).toBeInstanceOf(Date);
    const reversal = await trpc.transactions.byId.query({ transactionId: first.reversalId });
    expect(reversal).toMatchObject({ kind: 'REVERSAL', reversesTransactionId: transaction.id });
    expect(reversal.legs).toMatchObject([{ type: 'FUND', reversesTransactionId: transaction.id }]);
    const rest = await trpc.transactions.reverse.mutate({ transactionId: transaction.id });
    expect(rest).toMatchObject({ amount: '2.50', remainingAmount: '0.00' });
    const history = await trpc.wallets.byId.query({ walletId: wallet.id });
    expect(history.balance).toBe('10.00');
    expect(history.transactions.find((entry) => entry.id === transaction.id)).toMatchObject({
      reversedAmount: '4.00',
    });
  });

  it('carries each refusal with its code; a read-only key may not reverse', async () => {
    const wallet = await trpc.wallets.create.mutate({});
    const { transaction } = await trpc.wallets.fund.mutate({ walletId: wallet.id, amount: '3' });
    const past = await trpcFailureOf(
      trpc.transactions.reverse.mutate({ transactionId: transaction.id, amount: '3.01' }),
    );
    expect(past.data).toMatchObject({
      code: 'BAD_REQUEST',
      ledgerCode: 'REVERSAL_EXCEEDS_ORIGINAL',
    });
    const { reversalId } = await trpc.transactions.reverse.mutate({
      transactionId: transaction.id,
      amount: '1',
      idempotencyKey: `r-${transaction.id}`,
    });
    const again = await trpcFailureOf(
      trpc.transactions.reverse.mutate({
        transactionId: transaction.id,
        amount: '1',
        idempotencyKey: `r-${transaction.id}`,
      }),
    );
    expect(again.data).toMatchObject({ code: 'CONFLICT', ledgerCode: 'DUPLICATE_IDEMPOTENCY_KEY' });
    expect(again.data?.ledgerDetails).toMatchObject({ originalTransactionId: reversalId });
    const ofReversal = await trpcFailureOf(
      trpc.transactions.reverse.mutate({ transactionId: reversalId }),
    );
    expect(ofReversal.data?.ledgerCode).toBe('TRANSACTION_NOT_REVERSIBLE');
    const unknown = await trpcFailureOf(
      trpc.transactions.reverse.mutate({ transactionId: '00000000-0000-4000-8000-000000000002' }),
    );
    expect(unknown.data).toMatchObject({ code: 'NOT_FOUND', ledgerCode: 'TRANSACTION_NOT_FOUND' });
    const invalid = await trpcFailureOf(
      trpc.transactions.reverse.mutate({ transactionId: transaction.id, amount: '0' }),
    );
    expect(invalid.data?.code).toBe('UNPROCESSABLE_CONTENT');
    const forbidden = await trpcFailureOf(
      readOnly.transactions.reverse.mutate({ transactionId: transaction.id }),
    );
    expect(forbidden.data?.code).toBe('FORBIDDEN');
    const after = await trpc.wallets.byId.query({ walletId: wallet.id });
    expect(after.balance).toBe('2.00');
  });
});
