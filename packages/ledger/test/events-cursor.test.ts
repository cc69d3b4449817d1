import { reserveConnection, schema, type ReservedConnection } from '@wallet/db';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';

import type { LedgerEvent } from '../src';
import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();

const open: ReservedConnection[] = [];
afterEach(async () => {
  for (const connection of open.splice(0)) {
    await connection.command('ROLLBACK').catch(() => undefined);
    connection.release();
  }
});

/** A transaction of its own, begun and given its id now (so the order of ids is ours). */
async function begin(): Promise<ReservedConnection> {
  const connection = await reserveConnection(db);
  open.push(connection);
  await connection.command('BEGIN');
  await connection.command('SELECT pg_current_xact_id()');
  return connection;
}

/** An outbox row inserted by `connection`'s transaction; resolves to its position. */
async function insertEvent(connection: ReservedConnection, walletId: string): Promise<number> {
  const [row] = await connection.run(
    connection.db
      .insert(schema.ledgerEvents)
      .values({
        id: crypto.randomUUID(),
        type: 'wallet.created',
        walletId,
        walletSequence: 0,
        transactionId: walletId,
        currency: 'USD',
        payload: {},
      })
      .returning({ position: schema.ledgerEvents.position }),
    {},
  );
  return row?.position ?? -1;
}

async function readAfter(after: string): Promise<LedgerEvent[]> {
  const items: LedgerEvent[] = [];
  for (let page = await ledger.listEvents({ after }); ;) {
    items.push(...page.items);
    if (!page.hasMore) return items;
    page = await ledger.listEvents({ after: page.next });
  }
}

describe('the global cursor never skips an event that commits late', () => {
  it('delivers a later-committed event to a reader that paged past a larger position', async () => {
    const wallet = await ledger.createWallet({});
    // Funded while the transactions hold `wallet`'s row (their rows' foreign key).
    const other = await ledger.createWallet({});
    const startCursor = (await readAfter('0-0')).at(-1)?.cursor ?? '0-0';

    // Older transaction (smaller id) `early`, younger `late`. `late` inserts first and so
    // takes the SMALLER position; `early` inserts after it and commits first.
    const early = await begin();
    const late = await begin();
    const latePosition = await insertEvent(late, wallet.id);
    const earlyPosition = await insertEvent(early, wallet.id);
    expect(earlyPosition).toBeGreaterThan(latePosition);
    await early.command('COMMIT');

    // The reader is served `early`'s event and pages past it: past latePosition.
    const firstRead = await readAfter(startCursor);
    expect(firstRead).toHaveLength(1);
    const pagedPast = firstRead[0]?.cursor ?? '';
    // A reader by position alone would now ask for position > earlyPosition: it would
    // never see `late`'s row, whose position is smaller.
    expect(latePosition).toBeLessThan(earlyPosition);

    // Still running: nothing more is served (and a fund meanwhile waits behind it too).
    const funding = await ledger.fundWallet({ walletId: other.id, amount: '1' });
    expect(await readAfter(pagedPast)).toEqual([]);

    await late.command('COMMIT');
    const secondRead = await readAfter(pagedPast);
    // Both later events reach the reader that had paged past them, in commit-safe order.
    expect(secondRead.map((event) => event.type)).toEqual(['wallet.created', 'wallet.funded']);
    expect(secondRead[1]?.transactionId).toBe(funding.entry.id);
    // And a reader from the start sees each event once.
    const everything = await readAfter(startCursor);
    expect(everything.map((event) => event.cursor)).toEqual([
      pagedPast,
      ...secondRead.map((event) => event.cursor),
    ]);
  });

  it('serves nothing of a transaction that rolls back, and moves on past it', async () => {
    const wallet = await ledger.createWallet({});
    const other = await ledger.createWallet({});
    const from = (await readAfter('0-0')).at(-1)?.cursor ?? '0-0';
    const doomed = await begin();
    await insertEvent(doomed, wallet.id);
    await ledger.fundWallet({ walletId: other.id, amount: '2' });
    expect(await readAfter(from)).toEqual([]);
    await doomed.command('ROLLBACK');
    const served = await readAfter(from);
    expect(served.map((event) => event.type)).toEqual(['wallet.funded']);
    const [row] = await db.execute<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM ledger_events WHERE wallet_id = ${wallet.id}`,
    );
    expect(row?.count).toBe(1);
  });
});
