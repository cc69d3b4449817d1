import {
  EVENT_CURSOR_START,
  EVENT_TYPES,
  listEventsInput,
  type EventType,
  type ListEventsInput,
} from '@wallet/contract';
import { schema, type Db } from '@wallet/db';
import { asc, sql } from 'drizzle-orm';

import { assert } from '../assert';
import { parseInput } from '../input';
import { currencyOf } from '../rows';
import type { EventPage, LedgerEvent } from '../types';

const { ledgerEvents } = schema;

/**
 * The outbox in its global order, (transaction_xid, position), from a cursor on.
 *
 * Why not a bigserial alone: a position is taken at INSERT, not at COMMIT, so a
 * transaction that took position 10 may commit after one that took 11; a reader that
 * paged past 11 would never see 10. Ordering by the writing transaction's id first does
 * not fix that alone (an older transaction may commit later too), so a row is served
 * only once its transaction is older than every transaction still running:
 * transaction_xid < pg_snapshot_xmin(pg_current_snapshot()). Every transaction below
 * that horizon has ended, committed (its rows visible to this statement) or rolled back
 * (no rows); every transaction that can still commit a row has an id at or above it,
 * which sorts after everything served. So the served prefix of the order never grows in
 * the middle, and a cursor never skips. The price: an event waits for the writing
 * transactions that began before its own to end (the ledger's last a few milliseconds;
 * idle_in_transaction_session_timeout bounds a stuck one). Read-only transactions have
 * no id and hold nothing back. See docs/events.md.
 */
export async function listEvents(db: Db, input: ListEventsInput): Promise<EventPage> {
  const request = parseInput(listEventsInput, input);
  const after = request.after ?? EVENT_CURSOR_START;
  const [xid, position] = partsOf(after);
  const rows = await db
    .select()
    .from(ledgerEvents)
    .where(
      sql`(${ledgerEvents.transactionXid}, ${ledgerEvents.position})
          > (${sql.placeholder('xid')}::xid8, ${sql.placeholder('position')}::bigint)
        AND ${ledgerEvents.transactionXid} < pg_snapshot_xmin(pg_current_snapshot())`,
    )
    .orderBy(asc(ledgerEvents.transactionXid), asc(ledgerEvents.position))
    .limit(sql.placeholder('limit'))
    .prepare('ledger_read_events')
    .execute({ xid, position, limit: request.limit + 1 });
  const items = rows.slice(0, request.limit).map(toEvent);
  return {
    items,
    next: items.at(-1)?.cursor ?? after,
    hasMore: rows.length > request.limit,
  };
}

/**
 * Whether events past `after` are committed but not served yet: held back by an older
 * transaction still running. The live feed then reads again shortly (nothing would wake
 * it: that transaction may write no event, so it sends no notification).
 */
export async function eventsHeldBack(db: Db, after: string): Promise<boolean> {
  const [xid, position] = partsOf(after);
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(ledgerEvents)
    .where(
      sql`(${ledgerEvents.transactionXid}, ${ledgerEvents.position})
          > (${sql.placeholder('xid')}::xid8, ${sql.placeholder('position')}::bigint)`,
    )
    .limit(1)
    .prepare('ledger_events_held_back')
    .execute({ xid, position });
  return rows.length > 0;
}

/** The cursor past the last event served now: where a reader that wants only new ones starts. */
export async function latestEventCursor(db: Db): Promise<string> {
  const [row] = await db
    .select({ xid: ledgerEvents.transactionXid, position: ledgerEvents.position })
    .from(ledgerEvents)
    .where(sql`${ledgerEvents.transactionXid} < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy(sql`${ledgerEvents.transactionXid} DESC, ${ledgerEvents.position} DESC`)
    .limit(1)
    .prepare('ledger_latest_event')
    .execute();
  return row ? `${row.xid}-${row.position}` : EVENT_CURSOR_START;
}

/** Orders two cursors as the outbox does: negative, zero or positive. */
export function compareEventCursors(a: string, b: string): number {
  const [ax, ap] = partsOf(a).map(BigInt) as [bigint, bigint];
  const [bx, bp] = partsOf(b).map(BigInt) as [bigint, bigint];
  if (ax !== bx) return ax < bx ? -1 : 1;
  if (ap !== bp) return ap < bp ? -1 : 1;
  return 0;
}

function partsOf(cursor: string): [string, string] {
  const [xid, position] = cursor.split('-');
  assert(xid !== undefined && position !== undefined, `a malformed event cursor ${cursor}`);
  return [xid, position];
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

function toEvent(row: typeof ledgerEvents.$inferSelect): LedgerEvent {
  assert(KNOWN_TYPES.has(row.type), `an event of unknown type ${row.type} in the outbox`);
  return {
    id: row.id,
    cursor: `${row.transactionXid}-${row.position}`,
    type: row.type as EventType,
    walletId: row.walletId,
    walletSequence: row.walletSequence,
    counterpartyWalletId: row.counterpartyWalletId,
    counterpartySequence: row.counterpartySequence,
    transactionId: row.transactionId,
    currency: currencyOf(row),
    amountMinor: row.amountMinor,
    data: row.payload as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}
