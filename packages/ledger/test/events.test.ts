import { schema } from '@wallet/db';
import { asc, eq, or, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import {
  DuplicateIdempotencyKeyError,
  InsufficientFundsError,
  WalletNotFoundError,
  type LedgerEvent,
} from '../src';
import { applyWriteBatch } from '../src/apply-batch';
import { prepareFunding } from '../src/funding';
import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();
const { ledgerEvents } = schema;
const unknownId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

/** The outbox rows naming a wallet (as either side), in the global order. */
async function eventsOf(walletId: string) {
  return db
    .select()
    .from(ledgerEvents)
    .where(or(eq(ledgerEvents.walletId, walletId), eq(ledgerEvents.counterpartyWalletId, walletId)))
    .orderBy(asc(ledgerEvents.transactionXid), asc(ledgerEvents.position));
}

async function eventCount(): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(ledgerEvents);
  return row?.count ?? 0;
}

/** Every event served from the start, page by page. */
async function readAll(limit = 100): Promise<LedgerEvent[]> {
  const all: LedgerEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ledger.listEvents({ after, limit });
    all.push(...page.items);
    after = page.next;
    if (!page.hasMore) return all;
  }
}

describe('the outbox: an event iff the write committed', () => {
  it('writes one event per success, with its wallets, sequences, amounts and data', async () => {
    const sender = await ledger.createWallet({});
    const receiver = await ledger.createWallet({ currency: 'USD' });
    const funding = await ledger.fundWallet({ walletId: sender.id, amount: '10.5' });
    const transfer = await ledger.transferFunds({
      senderWalletId: sender.id,
      receiverWalletId: receiver.id,
      amount: '3',
      description: 'rent',
      metadata: { lease: 'L-7' },
    });
    const withdrawal = await ledger.withdrawFunds({ walletId: receiver.id, amount: '0.25' });

    const events = await eventsOf(sender.id);
    expect(events.map((event) => [event.type, event.walletSequence])).toEqual([
      ['wallet.created', 0],
      ['wallet.funded', 1],
      ['transfer.completed', 2],
    ]);
    const [created, funded, transferred] = events;
    expect(created?.transactionId).toBe(sender.id);
    expect(created?.payload).toEqual({ walletId: sender.id, currency: 'USD', balance: '0.00' });
    expect(funded).toMatchObject({ transactionId: funding.entry.id, amountMinor: 1050n });
    expect(funded?.payload).toEqual({
      transactionId: funding.entry.id,
      walletId: sender.id,
      currency: 'USD',
      amount: '10.50',
      balanceBefore: '0.00',
      balanceAfter: '10.50',
      sequence: 1,
      description: null,
      metadata: {},
    });
    expect(transferred).toMatchObject({
      transactionId: transfer.transferId,
      counterpartyWalletId: receiver.id,
      counterpartySequence: 1,
      amountMinor: 300n,
    });
    expect(transferred?.payload).toEqual({
      transactionId: transfer.transferId,
      currency: 'USD',
      amount: '3.00',
      description: 'rent',
      metadata: { lease: 'L-7' },
      sender: { walletId: sender.id, sequence: 2, balanceBefore: '10.50', balanceAfter: '7.50' },
      receiver: { walletId: receiver.id, sequence: 1, balanceBefore: '0.00', balanceAfter: '3.00' },
    });
    const receiverEvents = await eventsOf(receiver.id);
    expect(receiverEvents.map((event) => event.type)).toEqual([
      'wallet.created',
      'transfer.completed',
      'wallet.withdrawn',
    ]);
    expect(receiverEvents[2]).toMatchObject({
      transactionId: withdrawal.entry.id,
      walletSequence: 2,
      amountMinor: 25n,
    });
    expect(receiverEvents[2]?.payload).toMatchObject({ amount: '0.25', balanceAfter: '2.75' });
  });

  it('writes none for a refusal: insufficient funds, an unknown wallet, a used key', async () => {
    const wallet = await ledger.createWallet({});
    const other = await ledger.createWallet({});
    await ledger.fundWallet({ walletId: wallet.id, amount: '5', idempotencyKey: 'ev-used' });
    const before = await eventCount();
    await expect(ledger.withdrawFunds({ walletId: wallet.id, amount: '6' })).rejects.toBeInstanceOf(
      InsufficientFundsError,
    );
    await expect(
      ledger.transferFunds({ senderWalletId: wallet.id, receiverWalletId: other.id, amount: 9 }),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(ledger.fundWallet({ walletId: unknownId, amount: '1' })).rejects.toBeInstanceOf(
      WalletNotFoundError,
    );
    await expect(
      ledger.fundWallet({ walletId: wallet.id, amount: '5', idempotencyKey: 'ev-used' }),
    ).rejects.toBeInstanceOf(DuplicateIdempotencyKeyError);
    await ledger.createWallet({ idempotencyKey: 'ev-wallet' });
    const afterOneWallet = await eventCount();
    await expect(ledger.createWallet({ idempotencyKey: 'ev-wallet' })).rejects.toThrow();
    expect(afterOneWallet).toBe(before + 1);
    expect(await eventCount()).toBe(before + 1);
  });

  it('writes none when the batch rolls back, and one for each write that commits', async () => {
    const wallet = await ledger.createWallet({});
    // A write refused by PostgreSQL after the plan (what a bug would look like) fails the
    // whole batch's transaction: its events, written in it, must go with it.
    await db.execute(sql`
      CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.description = 'boom' THEN RAISE EXCEPTION 'boom'; END IF;
        RETURN NEW;
      END $$`);
    await db.execute(sql`
      CREATE TRIGGER refuse_boom BEFORE INSERT ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION refuse_boom()`);
    try {
      const before = await eventCount();
      await expect(
        applyWriteBatch(db, [
          prepareFunding({ walletId: wallet.id, amount: '1' }),
          prepareFunding({ walletId: wallet.id, amount: '2', description: 'boom' }),
        ]),
      ).rejects.toThrow();
      expect(await eventCount()).toBe(before);
      // The group committer then applies them one by one: the good one commits, with its event.
      const results = await Promise.allSettled([
        ledger.fundWallet({ walletId: wallet.id, amount: '1' }),
        ledger.fundWallet({ walletId: wallet.id, amount: '2', description: 'boom' }),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
      const events = await eventsOf(wallet.id);
      expect(events.map((event) => [event.type, event.amountMinor])).toEqual([
        ['wallet.created', null],
        ['wallet.funded', 100n],
      ]);
    } finally {
      await db.execute(sql`DROP TRIGGER refuse_boom ON ledger_entries`);
      await db.execute(sql`DROP FUNCTION refuse_boom()`);
    }
  });

  it('orders a batch’s events of one wallet by its sequence, and refuses changes', async () => {
    const wallet = await ledger.createWallet({});
    await Promise.all(
      Array.from({ length: 20 }, () => ledger.fundWallet({ walletId: wallet.id, amount: '1' })),
    );
    const sequences = (await eventsOf(wallet.id)).map((event) => event.walletSequence);
    expect(sequences).toEqual(Array.from({ length: 21 }, (_, index) => index));
    await expect(db.execute(sql`UPDATE ledger_events SET type = 'x.y'`)).rejects.toThrow();
    await expect(db.execute(sql`DELETE FROM ledger_events`)).rejects.toThrow();
  });
});

describe('a consumer of the outbox', () => {
  it('replays the events of concurrent writes to the balances the ledger holds', async () => {
    const wallets = await Promise.all(Array.from({ length: 6 }, () => ledger.createWallet({})));
    const ids = wallets.map((wallet) => wallet.id);
    await Promise.all(ids.map((walletId) => ledger.fundWallet({ walletId, amount: '50' })));
    // Opposing transfers, withdrawals and some refusals, all at once.
    const writes = Array.from({ length: 60 }, (_, index) => {
      const walletId = ids[index % ids.length] ?? '';
      const receiverWalletId = ids[(index * 5 + 1) % ids.length] ?? '';
      if (index % 7 === 0)
        return ledger.withdrawFunds({ walletId, amount: String(index % 9) + '.5' });
      return ledger.transferFunds({
        senderWalletId: walletId,
        receiverWalletId,
        amount: String((index % 13) + 1),
      });
    });
    await Promise.allSettled(writes);

    // The consumer: every event once (by id), each amount applied to the wallets it names.
    const replayed = new Map<string, bigint>();
    const seen = new Set<string>();
    const move = (walletId: string | null, delta: bigint) => {
      if (walletId !== null) replayed.set(walletId, (replayed.get(walletId) ?? 0n) + delta);
    };
    for (const event of [...(await readAll(7)), ...(await readAll(100))]) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      const amount = event.amountMinor ?? 0n;
      if (event.type === 'wallet.created') move(event.walletId, 0n);
      if (event.type === 'wallet.funded') move(event.walletId, amount);
      if (event.type === 'wallet.withdrawn') move(event.walletId, -amount);
      if (event.type === 'transfer.completed') {
        move(event.walletId, -amount);
        move(event.counterpartyWalletId, amount);
      }
    }
    for (const walletId of ids) {
      const { balanceMinor } = await ledger.getWallet({ walletId });
      expect(replayed.get(walletId), walletId).toBe(balanceMinor);
    }
  });
});

describe('the pull cursor', () => {
  it('pages through every event once, in order, from any point', async () => {
    const wallet = await ledger.createWallet({});
    for (let i = 0; i < 7; i++) await ledger.fundWallet({ walletId: wallet.id, amount: '1' });
    const all = await readAll();
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    expect(await eventCount()).toBe(all.length);
    const ids = all.map((event) => event.id);
    // Small pages give the same sequence as one large read.
    expect((await readAll(3)).map((event) => event.id)).toEqual(ids);
    // From any event's cursor on: exactly the events after it.
    for (const index of [0, 5, all.length - 2, all.length - 1]) {
      const after = all[index]?.cursor;
      const rest: string[] = [];
      for (let page = await ledger.listEvents({ after, limit: 4 }); ;) {
        rest.push(...page.items.map((event) => event.id));
        if (!page.hasMore) break;
        page = await ledger.listEvents({ after: page.next, limit: 4 });
      }
      expect(rest).toEqual(ids.slice(index + 1));
    }
    const end = await ledger.listEvents({ after: all.at(-1)?.cursor });
    expect(end).toEqual({ items: [], next: all.at(-1)?.cursor, hasMore: false });
  });

  it('refuses a malformed or out-of-range cursor and a limit out of bounds', async () => {
    for (const after of ['', 'abc', '1', '1-', '01-2', '-1-2', '18446744073709551616-1']) {
      await expect(ledger.listEvents({ after })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(ledger.listEvents({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ledger.listEvents({ limit: 101 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
