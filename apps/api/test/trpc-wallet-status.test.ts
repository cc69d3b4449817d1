import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createContextInner } from '../src/trpc/init';
import { createCaller } from '../src/trpc/root';
import { startApi, type RunningApi } from './support/api';

/** wallets.update and the status and metadata filters of wallets.list, through createCaller. */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

async function callerOf(role: 'operator' | 'read-only') {
  return createCaller(
    createContextInner({
      ledger: api.ledger,
      access: api.access,
      auth: { principal: await api.access.authenticateApiKey(api.keys[role]) },
    }),
  );
}

describe('wallets.update over createCaller', () => {
  it('freezes (a transfer out BAD_REQUEST WALLET_FROZEN), closes, finds by metadata', async () => {
    const caller = await callerOf('operator');
    const tag = randomUUID();
    const wallet = await caller.wallets.create({ metadata: { tag, owner: 'dana' } });
    expect(wallet).toMatchObject({ status: 'ACTIVE', metadata: { tag, owner: 'dana' } });
    const other = await caller.wallets.create({});
    await caller.wallets.fund({ walletId: wallet.id, amount: '3.00' });

    const frozen = await caller.wallets.update({ walletId: wallet.id, status: 'FROZEN' });
    expect(frozen).toMatchObject({ status: 'FROZEN', balance: '3.00' });
    await expect(
      caller.wallets.transfer({
        senderWalletId: wallet.id,
        receiverWalletId: other.id,
        amount: '1',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'WALLET_FROZEN' } });

    const found = await caller.wallets.list({ metadata: { tag }, status: 'FROZEN' });
    expect(found.items.map((item) => item.id)).toEqual([wallet.id]);
    expect((await caller.wallets.list({ metadata: { tag }, status: 'ACTIVE' })).items).toEqual([]);

    await expect(
      caller.wallets.update({ walletId: wallet.id, status: 'CLOSED' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'WALLET_NOT_EMPTY' } });
    const empty = await caller.wallets.create({});
    await caller.wallets.update({ walletId: empty.id, status: 'CLOSED' });
    await expect(
      caller.wallets.update({ walletId: empty.id, status: 'ACTIVE' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: { code: 'WALLET_STATUS_TRANSITION_INVALID' },
    });
    const byId = await caller.wallets.byId({ walletId: empty.id });
    expect(byId.status).toBe('CLOSED');
  });

  it('refuses a reader (FORBIDDEN) and an empty change (UNPROCESSABLE_CONTENT)', async () => {
    const operator = await callerOf('operator');
    const { id } = await operator.wallets.create({});
    const reader = await callerOf('read-only');
    await expect(reader.wallets.update({ walletId: id, status: 'FROZEN' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(operator.wallets.update({ walletId: id })).rejects.toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
    });
  });
});
