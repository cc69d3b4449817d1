import { reserveConnection } from '@wallet/db';
import { describe, expect, it } from 'vitest';

import type { LedgerEvent } from '../src';
import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();

/** The cursor of the last event served now: a stream from it misses nothing after. */
async function latest(): Promise<string> {
  let page = await ledger.listEvents({ limit: 100 });
  while (page.hasMore) page = await ledger.listEvents({ after: page.next, limit: 100 });
  return page.next;
}

/** Collects a stream's events in the background, from now on (replayed from `latest`). */
async function collect(input: { lastEventId?: string } = {}) {
  const controller = new AbortController();
  const events: LedgerEvent[] = [];
  const stream = await ledger.streamEvents(
    { lastEventId: input.lastEventId ?? (await latest()) },
    controller.signal,
  );
  const done = (async () => {
    for await (const event of stream) events.push(event);
  })();
  return {
    events,
    /** Resolves once `count` events have arrived (no sleeps). */
    waitFor: (count: number) =>
      expect.poll(() => events.length, { timeout: 5_000, interval: 5 }).toBe(count),
    async stop() {
      controller.abort();
      await done;
    },
  };
}

describe('the live feed', () => {
  it('delivers every committed event to every subscriber, in order', async () => {
    const first = await collect();
    const second = await collect();
    const wallet = await ledger.createWallet({});
    await Promise.all([
      ledger.fundWallet({ walletId: wallet.id, amount: '5' }),
      ledger.fundWallet({ walletId: wallet.id, amount: '6' }),
    ]);
    await ledger.withdrawFunds({ walletId: wallet.id, amount: '1' });
    await first.waitFor(4);
    await second.waitFor(4);
    expect(first.events.map((event) => event.type)).toEqual([
      'wallet.created',
      'wallet.funded',
      'wallet.funded',
      'wallet.withdrawn',
    ]);
    expect(second.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    await Promise.all([first.stop(), second.stop()]);
  });

  it('replays what followed lastEventId, then goes live, each event once', async () => {
    const wallet = await ledger.createWallet({});
    const seen = await collect();
    await ledger.fundWallet({ walletId: wallet.id, amount: '1' });
    await seen.waitFor(1);
    const resumeFrom = seen.events[0]?.cursor;
    await ledger.fundWallet({ walletId: wallet.id, amount: '2' });
    await ledger.fundWallet({ walletId: wallet.id, amount: '3' });
    await seen.waitFor(3);
    // A client that lost its stream after the first event comes back with its cursor.
    const resumed = await collect({ lastEventId: resumeFrom });
    await resumed.waitFor(2);
    await ledger.fundWallet({ walletId: wallet.id, amount: '4' });
    await seen.waitFor(4);
    await resumed.waitFor(3);
    const amounts = (events: LedgerEvent[]) => events.map((event) => event.amountMinor);
    expect(amounts(seen.events)).toEqual([100n, 200n, 300n, 400n]);
    expect(resumed.events.map((event) => event.id)).toEqual(
      seen.events.slice(1).map((event) => event.id),
    );
    await Promise.all([seen.stop(), resumed.stop()]);
  });

  it('delivers an event held back by an older transaction once that one ends', async () => {
    const wallet = await ledger.createWallet({});
    const servedUpTo = await latest();
    const live = await collect({ lastEventId: servedUpTo });
    // An older writing transaction that writes no event: its end notifies nobody.
    const older = await reserveConnection(db);
    try {
      await older.command('BEGIN');
      await older.command('SELECT pg_current_xact_id()');
      await ledger.fundWallet({ walletId: wallet.id, amount: '1' });
      // Committed and notified, but not served while `older` runs.
      expect((await ledger.listEvents({ after: servedUpTo })).items).toEqual([]);
      expect(live.events).toEqual([]);
      await older.command('COMMIT');
    } finally {
      older.release();
    }
    await live.waitFor(1);
    expect(live.events).toMatchObject([{ type: 'wallet.funded', walletId: wallet.id }]);
    await live.stop();
  });
});
