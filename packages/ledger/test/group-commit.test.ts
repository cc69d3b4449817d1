import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import {
  createLedger,
  DuplicateIdempotencyKeyError,
  InsufficientFundsError,
  LedgerBusyError,
  LedgerUnavailableError,
  WalletNotFoundError,
} from '../src';
import { prepareFunding } from '../src/funding';
import { createGroupCommitter, GROUP_COMMIT_DEFAULTS } from '../src/group-commit';
import { expectContiguousChain } from './chain';
import { useTestLedger } from './support';

const testLedger = await useTestLedger(30);
const { ledger, db } = testLedger;
const unknownId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

async function fundedWallet(amount: number | string) {
  const wallet = await ledger.createWallet({});
  if (Number(amount) > 0) await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

/** How many database transactions wrote a wallet's entries: one now() per transaction. */
async function transactionsThatWrote(walletId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(DISTINCT ${schema.ledgerEntries.createdAt})::int` })
    .from(schema.ledgerEntries)
    .where(eq(schema.ledgerEntries.walletId, walletId));
  return row?.count ?? 0;
}

describe('group commit', () => {
  it('applies concurrent transfers into one hot wallet in fewer transactions than transfers', async () => {
    const hot = await fundedWallet(0);
    const senders = await Promise.all(Array.from({ length: 40 }, () => fundedWallet(5)));
    const results = await Promise.all(
      senders.map((senderWalletId) =>
        ledger.transferFunds({ senderWalletId, receiverWalletId: hot, amount: 1 }),
      ),
    );
    expect(await expectContiguousChain(testLedger, hot)).toBe(4000n);
    expect(await transactionsThatWrote(hot)).toBeLessThan(senders.length);
    // Each caller sees the balances right after its own transfer, not the batch's end.
    const receiverBalances = results.map((result) => result.receiver.balanceMinor);
    expect(new Set(receiverBalances).size).toBe(senders.length);
    expect(receiverBalances.toSorted((a, b) => Number(a - b))).toEqual(
      Array.from({ length: senders.length }, (_, i) => BigInt((i + 1) * 100)),
    );
    for (const result of results) expect(result.sender.balanceMinor).toBe(400n);
  });

  it('refuses an overdraft, a missing wallet and a used key alone; the others apply', async () => {
    const sender = await fundedWallet(3);
    const receiver = await fundedWallet(0);
    await ledger.fundWallet({ walletId: receiver, amount: 1, idempotencyKey: 'gc-used' });
    const outcomes = await Promise.allSettled([
      ledger.transferFunds({ senderWalletId: sender, receiverWalletId: receiver, amount: 2 }),
      ledger.transferFunds({ senderWalletId: sender, receiverWalletId: receiver, amount: 2 }),
      ledger.transferFunds({ senderWalletId: sender, receiverWalletId: unknownId, amount: 1 }),
      ledger.fundWallet({ walletId: receiver, amount: 1, idempotencyKey: 'gc-used' }),
      ledger.transferFunds({
        senderWalletId: sender,
        receiverWalletId: receiver,
        amount: 1,
        idempotencyKey: 'gc-fresh',
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    const reasons = outcomes.map((outcome) =>
      outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined,
    );
    expect(reasons[1]).toBeInstanceOf(InsufficientFundsError);
    expect(reasons[2]).toBeInstanceOf(WalletNotFoundError);
    expect(reasons[3]).toBeInstanceOf(DuplicateIdempotencyKeyError);
    expect((reasons[3] as DuplicateIdempotencyKeyError).sameRequest).toBe(true);
    expect(await expectContiguousChain(testLedger, sender)).toBe(0n);
    expect(await expectContiguousChain(testLedger, receiver)).toBe(400n);
  });

  it('leaves the key of a refused request in a batch free for a corrected retry', async () => {
    const sender = await fundedWallet(1);
    const receiver = await fundedWallet(0);
    const [tooMuch, fine] = await Promise.allSettled([
      ledger.transferFunds({
        senderWalletId: sender,
        receiverWalletId: receiver,
        amount: 5,
        idempotencyKey: 'gc-refused',
      }),
      ledger.fundWallet({ walletId: receiver, amount: 1, idempotencyKey: 'gc-applied' }),
    ]);
    expect(tooMuch.status).toBe('rejected');
    expect(fine.status).toBe('fulfilled');
    const retried = await ledger.transferFunds({
      senderWalletId: sender,
      receiverWalletId: receiver,
      amount: 1,
      idempotencyKey: 'gc-refused',
    });
    expect(retried.receiver.balanceMinor).toBe(200n);
  });

  it('gives the same key twice in one burst one application and one 409', async () => {
    const wallet = await fundedWallet(0);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 2 }, () =>
        ledger.fundWallet({ walletId: wallet, amount: 1, idempotencyKey: 'gc-twice' }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refused] = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(refused).toBeInstanceOf(DuplicateIdempotencyKeyError);
    expect(await expectContiguousChain(testLedger, wallet)).toBe(100n);
  });

  it('when the database refuses a batch, applies its requests alone so only the culprit fails', async () => {
    const wallet = await fundedWallet(0);
    const committer = createGroupCommitter(db, {
      ...GROUP_COMMIT_DEFAULTS,
      batchSizeMax: 16,
      concurrentBatchesMax: 1,
    });
    // Past the contract's 500 characters: only the database's CHECK catches it here.
    const overLong = {
      ...prepareFunding({ walletId: wallet, amount: 1 }),
      description: 'x'.repeat(501),
    };
    const outcomes = await Promise.allSettled([
      committer.submit(prepareFunding({ walletId: wallet, amount: 1 })),
      committer.submit(overLong),
      committer.submit(prepareFunding({ walletId: wallet, amount: 2 })),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await expectContiguousChain(testLedger, wallet)).toBe(300n);
  });

  it('refuses a write at once as busy when its queue is full', async () => {
    const wallet = await fundedWallet(0);
    const small = createLedger(db, { groupCommit: { concurrentBatchesMax: 1, queuedMax: 1 } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 }, () => small.fundWallet({ walletId: wallet, amount: 1 })),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    for (const outcome of outcomes.slice(1)) {
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(LedgerBusyError);
    }
    expect(await expectContiguousChain(testLedger, wallet)).toBe(100n);
  });

  it('bounds a stalled batch: its writes hear "unknown outcome" at the deadline, and later writes go on', async () => {
    const stalled = await fundedWallet(0);
    const other = await fundedWallet(0);
    const bounded = createLedger(db, {
      groupCommit: { concurrentBatchesMax: 1, batchDeadlineMs: 300 },
    });
    // Another session holds the wallet's row lock: the batch waits on it, past the deadline.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM wallets WHERE id = ${stalled} FOR UPDATE`);
      locked();
      await held;
    });
    await lockTaken;
    try {
      const write = bounded.fundWallet({
        walletId: stalled,
        amount: 1,
        idempotencyKey: 'gc-stall',
      });
      await expect(write).rejects.toBeInstanceOf(LedgerUnavailableError);
      // The batch's place is free again: a write on another wallet is not stuck behind it.
      await expect(bounded.fundWallet({ walletId: other, amount: 1 })).resolves.toBeDefined();
    } finally {
      release();
      await holder;
    }
    // The stalled batch went on once the lock was free: a retry with its key learns it landed.
    await expect
      .poll(async () => {
        try {
          await bounded.fundWallet({ walletId: stalled, amount: 1, idempotencyKey: 'gc-stall' });
          return 'applied now';
        } catch (error) {
          return error instanceof DuplicateIdempotencyKeyError && error.sameRequest
            ? 'applied before'
            : String(error);
        }
      })
      .toMatch(/^applied/);
    expect(await expectContiguousChain(testLedger, stalled)).toBe(100n);
  });
});
