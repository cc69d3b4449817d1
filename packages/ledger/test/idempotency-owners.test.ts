import { schema } from '@wallet/db';
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import {
  DuplicateIdempotencyKeyError,
  DuplicateWalletKeyError,
  TransactionNotFoundError,
} from '../src';
import { useTestLedger } from './support';

const testLedger = await useTestLedger();
const { ledger, db } = testLedger;
const { idempotencyKeys } = schema;

/** A principal's write context, as the API builds it. */
function ownerContext() {
  const actor = `key:${uuidv7()}`;
  return { actor, owner: actor, requestId: `req-${actor}` };
}

describe('idempotency keys are scoped to their owner', () => {
  it('two owners using one key at once both apply, and each retry names only its own', async () => {
    const [alice, bob] = [ownerContext(), ownerContext()];
    const [aliceWallet, bobWallet] = await Promise.all([
      ledger.createWallet({}, alice),
      ledger.createWallet({}, bob),
    ]);
    const key = `pay-${uuidv7()}`;
    // Submitted in one turn of the event loop: both go into one batch.
    const [aliceFund, bobFund] = await Promise.all([
      ledger.fundWallet({ walletId: aliceWallet.id, amount: 5, idempotencyKey: key }, alice),
      ledger.fundWallet({ walletId: bobWallet.id, amount: 7, idempotencyKey: key }, bob),
    ]);
    expect(aliceFund.wallet.balanceMinor).toBe(500n);
    expect(bobFund.wallet.balanceMinor).toBe(700n);

    const [aliceRetry, bobRetry] = await Promise.allSettled([
      ledger.fundWallet({ walletId: aliceWallet.id, amount: 5, idempotencyKey: key }, alice),
      ledger.fundWallet({ walletId: bobWallet.id, amount: 7, idempotencyKey: key }, bob),
    ]);
    expect(aliceRetry).toMatchObject({
      status: 'rejected',
      reason: { originalTransactionId: aliceFund.entry.id, sameRequest: true },
    });
    expect(bobRetry).toMatchObject({
      status: 'rejected',
      reason: { originalTransactionId: bobFund.entry.id, sameRequest: true },
    });
    // Bob's request under Alice's key is Alice's "different request": it names her own.
    const crossed = ledger.fundWallet(
      { walletId: bobWallet.id, amount: 7, idempotencyKey: key },
      alice,
    );
    await expect(crossed).rejects.toMatchObject({
      originalTransactionId: aliceFund.entry.id,
      sameRequest: false,
    });
    await expect(crossed).rejects.not.toThrow(bobFund.entry.id);
  });

  it('many owners racing with one key: each applies exactly once', async () => {
    const owners = Array.from({ length: 8 }, ownerContext);
    const wallet = await ledger.createWallet({});
    const key = `storm-${uuidv7()}`;
    const outcomes = await Promise.allSettled(
      owners.flatMap((owner) =>
        Array.from({ length: 4 }, () =>
          ledger.fundWallet({ walletId: wallet.id, amount: 1, idempotencyKey: key }, owner),
        ),
      ),
    );
    const applied = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(applied).toHaveLength(owners.length);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(DuplicateIdempotencyKeyError);
      }
    }
    const { balanceMinor } = await ledger.getWallet({ walletId: wallet.id });
    expect(balanceMinor).toBe(BigInt(owners.length) * 100n);
  });

  it('transfers too: one key, two owners, two transfers', async () => {
    const [alice, bob] = [ownerContext(), ownerContext()];
    const from = await ledger.createWallet({});
    const to = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: from.id, amount: 10 });
    const key = `t-${uuidv7()}`;
    const move = {
      senderWalletId: from.id,
      receiverWalletId: to.id,
      amount: 2,
      idempotencyKey: key,
    };
    const [a, b] = await Promise.all([
      ledger.transferFunds(move, alice),
      ledger.transferFunds(move, bob),
    ]);
    expect(a.transferId).not.toBe(b.transferId);
    expect((await ledger.getWallet({ walletId: to.id })).balanceMinor).toBe(400n);
  });
});

describe('createWallet with an idempotency key', () => {
  it('the same key and body make one wallet; a retry is told its id', async () => {
    const owner = ownerContext();
    const key = `w-${uuidv7()}`;
    const first = await ledger.createWallet({ currency: 'EUR', idempotencyKey: key }, owner);
    const retries = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        ledger.createWallet({ currency: 'EUR', idempotencyKey: key }, owner),
      ),
    );
    for (const retry of retries) {
      expect(retry).toMatchObject({
        status: 'rejected',
        reason: { walletId: first.id, sameRequest: true, code: 'DUPLICATE_IDEMPOTENCY_KEY' },
      });
    }
    const other = ledger.createWallet({ currency: 'USD', idempotencyKey: key }, owner);
    await expect(other).rejects.toBeInstanceOf(DuplicateWalletKeyError);
    await expect(other).rejects.toThrow('used by a different request');
    // Another owner's equal key makes its own wallet.
    const theirs = await ledger.createWallet(
      { currency: 'EUR', idempotencyKey: key },
      ownerContext(),
    );
    expect(theirs.id).not.toBe(first.id);
  });

  it("a movement under a wallet's key is a different request naming the wallet", async () => {
    const owner = ownerContext();
    const key = `mixed-${uuidv7()}`;
    const wallet = await ledger.createWallet({ idempotencyKey: key }, owner);
    const fund = ledger.fundWallet({ walletId: wallet.id, amount: 1, idempotencyKey: key }, owner);
    await expect(fund).rejects.toMatchObject({ walletId: wallet.id, sameRequest: false });
  });

  it('concurrent creations with one key make one wallet', async () => {
    const owner = ownerContext();
    const key = `race-${uuidv7()}`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => ledger.createWallet({ idempotencyKey: key }, owner)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('getTransaction', () => {
  it('reads a funding, and a transfer with both legs by its id or either leg', async () => {
    const from = await ledger.createWallet({});
    const to = await ledger.createWallet({});
    const { entry } = await ledger.fundWallet({ walletId: from.id, amount: 3, description: 'in' });
    const funding = await ledger.getTransaction({ transactionId: entry.id });
    expect(funding).toMatchObject({ id: entry.id, kind: 'FUND', amountMinor: 300n });
    expect(funding.legs.map((leg) => leg.id)).toEqual([entry.id]);

    const { transferId } = await ledger.transferFunds({
      senderWalletId: from.id,
      receiverWalletId: to.id,
      amount: 1,
    });
    const transfer = await ledger.getTransaction({ transactionId: transferId });
    expect(transfer).toMatchObject({ id: transferId, kind: 'TRANSFER', amountMinor: 100n });
    expect(transfer.legs.map((leg) => [leg.type, leg.walletId])).toEqual([
      ['TRANSFER_OUT', from.id],
      ['TRANSFER_IN', to.id],
    ]);
    for (const leg of transfer.legs) {
      expect(await ledger.getTransaction({ transactionId: leg.id })).toEqual(transfer);
    }
    await expect(ledger.getTransaction({ transactionId: uuidv7() })).rejects.toBeInstanceOf(
      TransactionNotFoundError,
    );
  });
});

describe('expireIdempotencyKeys', () => {
  const ageKey = async (owner: string, key: string, days: number) => {
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - make_interval(days => ${days})` })
      .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
  };
  const keyExists = async (owner: string, key: string) =>
    (
      await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)))
    ).length === 1;

  it('deletes only keys older than the retention, in bounded batches; an expired key is new', async () => {
    const owner = ownerContext();
    const wallet = await ledger.createWallet({});
    const keys = Array.from({ length: 5 }, (_, index) => `old-${index}-${uuidv7()}`);
    for (const key of keys) {
      await ledger.fundWallet({ walletId: wallet.id, amount: 1, idempotencyKey: key }, owner);
      await ageKey(owner.owner, key, 31);
    }
    const fresh = `fresh-${uuidv7()}`;
    await ledger.fundWallet({ walletId: wallet.id, amount: 1, idempotencyKey: fresh }, owner);
    await ageKey(owner.owner, fresh, 29);

    expect(
      await ledger.expireIdempotencyKeys({ retentionDays: 30, batchSize: 2, batchesMax: 2 }),
    ).toBe(4);
    expect(await ledger.expireIdempotencyKeys({ retentionDays: 30, batchSize: 2 })).toBe(1);
    for (const key of keys) expect(await keyExists(owner.owner, key)).toBe(false);
    expect(await keyExists(owner.owner, fresh)).toBe(true);

    const again = await ledger.fundWallet(
      { walletId: wallet.id, amount: 1, idempotencyKey: keys[0] },
      owner,
    );
    expect(again.wallet.balanceMinor).toBe(700n);
  });

  it('skips a key a write holds locked, without waiting, and deletes it once released', async () => {
    const owner = ownerContext();
    const key = `held-${uuidv7()}`;
    const wallet = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: wallet.id, amount: 1, idempotencyKey: key }, owner);
    await ageKey(owner.owner, key, 40);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // A claim of the same key, as apply-batch.ts makes it, held open.
    const holding = db.transaction(async (tx) => {
      await tx
        .insert(idempotencyKeys)
        .values({
          owner: owner.owner,
          key,
          operation: 'FUND',
          requestFingerprint: '0'.repeat(64),
          transactionId: uuidv7(),
        })
        .onConflictDoUpdate({
          target: [idempotencyKeys.owner, idempotencyKeys.key],
          set: { key: sql`excluded.key` },
          setWhere: sql`false`,
        });
      locked();
      await released;
      const [row] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.owner, owner.owner), eq(idempotencyKeys.key, key)));
      return row;
    });
    await isLocked;
    expect(await ledger.expireIdempotencyKeys({ retentionDays: 30 })).toBe(0);
    release();
    expect(await holding).toMatchObject({ key, operation: 'FUND' });
    expect(await ledger.expireIdempotencyKeys({ retentionDays: 30 })).toBe(1);
  });
});
