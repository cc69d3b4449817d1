import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startApi, UNKNOWN_WALLET_ID, type RunningApi } from './support/api';
import { trpcClientOf, trpcFailureOf, type TrpcClient } from './support/trpc-client';

/** holds.* and wallets.balance through a real @trpc/client over HTTP. */

let api: RunningApi;
let trpc: TrpcClient;
let reader: TrpcClient;

beforeAll(async () => {
  api = await startApi();
  trpc = trpcClientOf(api.baseUrl, api.keys.admin);
  reader = trpcClientOf(api.baseUrl, api.keys['read-only']);
});

afterAll(async () => {
  await api.close();
});

async function fundedWallet(amount: string) {
  const wallet = await trpc.wallets.create.mutate({});
  await trpc.wallets.fund.mutate({ walletId: wallet.id, amount });
  return wallet.id;
}

describe('holds over tRPC', () => {
  it('place, list, capture to the receiver; the wallet outputs carry held and available', async () => {
    const payer = await fundedWallet('25.00');
    const receiver = await fundedWallet('1.00');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const placed = await trpc.holds.place.mutate({
      walletId: payer,
      amount: '10.5',
      receiverWalletId: receiver,
      expiresAt,
    });
    expect(placed.hold).toMatchObject({
      amount: '10.50',
      status: 'PENDING',
      receiverWalletId: receiver,
    });
    expect(placed.hold.expiresAt).toBeInstanceOf(Date);
    expect(placed.hold.expiresAt?.toISOString()).toBe(expiresAt);
    expect(placed.wallet).toMatchObject({ balance: '25.00', held: '10.50', available: '14.50' });
    expect(await trpc.wallets.byId.query({ walletId: payer })).toMatchObject({
      held: '10.50',
      available: '14.50',
    });
    expect(await trpc.wallets.balance.query({ walletId: payer })).toEqual({
      walletId: payer,
      currency: 'USD',
      balance: '25.00',
      held: '10.50',
      available: '14.50',
    });
    const listed = await trpc.holds.list.query({ walletId: payer });
    expect(listed.items.map((hold) => hold.id)).toEqual([placed.hold.id]);

    const captured = await trpc.holds.capture.mutate({ holdId: placed.hold.id });
    expect(captured.hold).toMatchObject({ status: 'CAPTURED', capturedAmount: '10.50' });
    expect(captured.wallet).toMatchObject({ balance: '14.50', held: '0.00' });
    expect(captured.receiver).toMatchObject({ id: receiver, balance: '11.50' });
    expect(await trpc.holds.byId.query({ holdId: placed.hold.id })).toEqual(captured.hold);
    expect((await trpc.holds.list.query({ walletId: payer, status: 'PENDING' })).items).toEqual([]);
  });

  it('voids; refusals carry their codes; read-only users read but do not write', async () => {
    const payer = await fundedWallet('5.00');
    const { hold } = await trpc.holds.place.mutate({ walletId: payer, amount: '2' });
    expect((await reader.holds.byId.query({ holdId: hold.id })).status).toBe('PENDING');
    const forbidden = await trpcFailureOf(reader.holds.void.mutate({ holdId: hold.id }));
    expect(forbidden.data?.code).toBe('FORBIDDEN');

    const voided = await trpc.holds.void.mutate({ holdId: hold.id });
    expect(voided.hold.status).toBe('VOIDED');
    expect(voided.wallet).toMatchObject({ held: '0.00', available: '5.00' });

    const notPending = await trpcFailureOf(trpc.holds.capture.mutate({ holdId: hold.id }));
    expect(notPending.data).toMatchObject({ code: 'BAD_REQUEST', ledgerCode: 'HOLD_NOT_PENDING' });
    const missing = await trpcFailureOf(trpc.holds.byId.query({ holdId: UNKNOWN_WALLET_ID }));
    expect(missing.data).toMatchObject({ code: 'NOT_FOUND', ledgerCode: 'HOLD_NOT_FOUND' });
    const short = await trpcFailureOf(trpc.holds.place.mutate({ walletId: payer, amount: '5.01' }));
    expect(short.data).toMatchObject({ ledgerCode: 'INSUFFICIENT_FUNDS' });
    const invalid = await trpcFailureOf(
      trpc.holds.place.mutate({ walletId: payer, amount: '1', expiresAt: 'soon' }),
    );
    expect(invalid.data?.code).toBe('UNPROCESSABLE_CONTENT');
  });
});
