import { PAGE_SIZE_MAX } from '@wallet/contract';
import type { Db } from '@wallet/db';

import type { LedgerEvent } from '../types';
import { eventsHeldBack, latestEventCursor, listEvents } from './read';

/** The channel the outbox's trigger notifies (migration 0010: ledger_events_notify). */
export const EVENTS_CHANNEL = 'ledger_events';

/**
 * How soon the feed reads again while committed events wait for an older transaction:
 * from the first, doubling up to the last while they keep waiting.
 */
export const HELD_BACK_RETRY_FIRST_MS = 10;
export const HELD_BACK_RETRY_MAX_MS = 1_000;

export type EventListener = (event: LedgerEvent) => void;

/**
 * One live reader of the outbox per process, shared by every subscriber: it LISTENs on
 * the outbox's channel (one connection), and on each notification reads what follows
 * its cursor, once, and hands each event to every listener in the global order. No
 * subscriber ever queries the database, however many there are. A notification only
 * wakes it up: what it delivers comes from the outbox by cursor, so a notification that
 * is folded into another, or lost while the listening connection reconnects (it reads
 * again once it listens again), loses no event.
 */
export interface EventFeed {
  /**
   * Calls `listener` with every event served after the feed's start, from the moment of
   * this call, in order. Starts the feed on first use; resolves once it listens.
   */
  subscribe(listener: EventListener): Promise<() => void>;
}

export function createEventFeed(db: Db): EventFeed {
  const listeners = new Set<EventListener>();
  let started: Promise<void> | undefined;
  let cursor: string | undefined;
  let reading = false;
  let readAgain = false;
  let retry: NodeJS.Timeout | undefined;
  let retryMs = HELD_BACK_RETRY_FIRST_MS;

  const deliver = (event: LedgerEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the others still get the event.
      }
    }
  };

  // One read at a time; a wake-up during a read makes one more read after it.
  const wake = (): void => {
    if (cursor === undefined) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    void drain()
      .catch(() => {
        // The database is unreachable: read again once it answers (the next wake-up,
        // or the re-listen that follows a reconnection).
        scheduleRetry();
      })
      .finally(() => {
        reading = false;
        if (readAgain) {
          readAgain = false;
          wake();
        }
      });
  };

  const scheduleRetry = () => {
    if (retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      wake();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, HELD_BACK_RETRY_MAX_MS);
    retry.unref();
  };

  const drain = async () => {
    let from = cursor;
    for (;;) {
      const page = await listEvents(db, { after: from, limit: PAGE_SIZE_MAX });
      for (const event of page.items) deliver(event);
      from = cursor = page.next;
      if (!page.hasMore) break;
    }
    if (await eventsHeldBack(db, from)) scheduleRetry();
    else retryMs = HELD_BACK_RETRY_FIRST_MS;
  };

  const start = async () => {
    // Listening first, then the starting point: an event committed after it notifies.
    // (The re-listen after a reconnection calls `wake` again: what was missed is read.)
    await db.$client.listen(EVENTS_CHANNEL, wake, wake);
    cursor = await latestEventCursor(db);
    // Committed but held back at the start: found by this first read.
    wake();
  };

  return {
    async subscribe(listener) {
      started ??= start().catch((error: unknown) => {
        started = undefined;
        throw error;
      });
      await started;
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
