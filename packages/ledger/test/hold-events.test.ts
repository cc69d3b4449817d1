import { schema } from '@wallet/db';
import { asc, eq, or, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { HoldExpiredError, HoldNotPendingError, InsufficientFundsError } from '../src';
import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();
const { ledgerEvents } = schema;

/** The hold events naming a wallet (as either side), in the global order. */
async function holdEventsOf(walletId: string) {
  const rows = await db
    .select()
    .from(ledgerEvents)
    .where(or(eq(ledgerEvents.walletId, walletId), eq(ledgerEvents.counterpartyWalletId, walletId)))
    .orderBy(asc(ledgerEvents.transactionXid), asc(ledgerEvents.position));
  return rows.filter((row) => row.type.startsWith('hold.'));
}

async function fundedWallet(amount: number) {
  const wallet = await ledger.createWallet({});
  await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

/** Resolves once the database's clock has reached `at` (what the sweep reads). */
async function untilDatabaseClockPasses(at: Date) {
  for (;;) {
    const [row] = await db.execute<{ due: boolean }>(
      sql`SELECT now() >= ${at.toISOString()}::timestamptz AS due`,
    );
    if (row?.due) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('hold writes in the outbox', () => {
  it('records exactly one event per hold write, and none for a refused one', async () => {
    const walletId = await fundedWallet(10);
    const receiverWalletId = (await ledger.createWallet({})).id;

    const { hold } = await ledger.placeHold({ walletId, amount: 6, receiverWalletId });
    let events = await holdEventsOf(walletId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'hold.placed',
      walletId,
      walletSequence: 1,
      counterpartyWalletId: null,
      transactionId: hold.id,
      amountMinor: 600n,
    });
    expect(events[0]?.payload).toMatchObject({
      holdId: hold.id,
      receiverWalletId,
      amount: '6.00',
      status: 'PENDING',
    });

    // Refused: past available (10 - 6).
    await expect(ledger.placeHold({ walletId, amount: 5 })).rejects.toBeInstanceOf(
      InsufficientFundsError,
    );
    expect(await holdEventsOf(walletId)).toHaveLength(1);

    const capture = await ledger.captureHold({ holdId: hold.id, amount: 2 });
    events = await holdEventsOf(walletId);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      type: 'hold.captured',
      walletId,
      walletSequence: 2,
      counterpartyWalletId: receiverWalletId,
      counterpartySequence: 1,
      transactionId: capture.transactionId,
      amountMinor: 200n,
    });
    expect(events[1]?.payload).toMatchObject({
      holdId: hold.id,
      amount: '2.00',
      released: '6.00',
      sender: { walletId, balanceBefore: '10.00', balanceAfter: '8.00' },
      receiver: { walletId: receiverWalletId, balanceAfter: '2.00' },
    });
    // The receiver's own view: the same one event (its counterparty side).
    expect(await holdEventsOf(receiverWalletId)).toHaveLength(1);

    // Refused: a hold is captured once; a void of it too.
    await expect(ledger.captureHold({ holdId: hold.id })).rejects.toBeInstanceOf(
      HoldNotPendingError,
    );
    await expect(ledger.voidHold({ holdId: hold.id })).rejects.toBeInstanceOf(HoldNotPendingError);
    expect(await holdEventsOf(walletId)).toHaveLength(2);

    const { hold: voided } = await ledger.placeHold({ walletId, amount: 1 });
    await ledger.voidHold({ holdId: voided.id });
    const { hold: out } = await ledger.placeHold({ walletId, amount: 3 });
    const captureOut = await ledger.captureHold({ holdId: out.id });
    events = await holdEventsOf(walletId);
    expect(events.map((event) => [event.type, event.transactionId, event.walletSequence])).toEqual([
      ['hold.placed', hold.id, 1],
      ['hold.captured', capture.transactionId, 2],
      ['hold.placed', voided.id, 2],
      ['hold.voided', voided.id, 2],
      ['hold.placed', out.id, 2],
      ['hold.captured', captureOut.transactionId, 3],
    ]);
    expect(events[5]).toMatchObject({ counterpartyWalletId: null, amountMinor: 300n });
    expect(events[5]?.payload).toMatchObject({ walletId, balanceAfter: '5.00' });
  });

  it('the sweep records one hold.expired per released hold, in its transaction, once', async () => {
    const walletId = await fundedWallet(10);
    const expiresAt = new Date(Date.now() + 1_200);
    const { hold } = await ledger.placeHold({
      walletId,
      amount: 4,
      expiresAt: expiresAt.toISOString(),
    });
    await untilDatabaseClockPasses(expiresAt);
    await expect(ledger.captureHold({ holdId: hold.id })).rejects.toBeInstanceOf(HoldExpiredError);
    expect((await holdEventsOf(walletId)).map((event) => event.type)).toEqual(['hold.placed']);

    // Other sweeps (other tests' holds) may release some too: this hold's event is counted.
    await ledger.expireHolds();
    await ledger.expireHolds();
    const events = await holdEventsOf(walletId);
    expect(events.map((event) => [event.type, event.transactionId])).toEqual([
      ['hold.placed', hold.id],
      ['hold.expired', hold.id],
    ]);
    expect(events[1]).toMatchObject({ walletSequence: 1, amountMinor: 400n });
    expect(events[1]?.payload).toMatchObject({ holdId: hold.id, status: 'EXPIRED' });

    // The wallet's chain goes on after the sweep: its next entry is stamped after it.
    await expect(ledger.fundWallet({ walletId, amount: 1 })).resolves.toBeDefined();
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(ledgerEvents)
      .where(eq(ledgerEvents.transactionId, hold.id));
    expect(row?.count).toBe(2);
  });
});
