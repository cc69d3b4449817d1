import { PAGE_SIZE_MAX } from '@wallet/contract';
import type { Db } from '@wallet/db';

import { LedgerUnavailableError } from '../errors';
import type { LedgerEvent } from '../types';
import type { EventFeed } from './feed';
import { compareEventCursors, listEvents } from './read';

/** Events a subscriber may fall behind the live feed by before its stream is ended. */
export const LIVE_BACKLOG_MAX = 1_000;

export interface EventStreamOptions {
  /** Replays the outbox after this cursor first; without it, only events from now on. */
  after?: string;
  /** Ends the stream (and leaves the feed) when it aborts. */
  signal?: AbortSignal;
}

/**
 * The events one subscriber gets, in the global order, each once: those after `after`
 * read from the outbox, then the live feed's, skipping what the replay already gave.
 * It resolves once it has joined the feed, so every event committed after that is in it
 * (a caller may tell its client "connected" then). It joins before the replay: every
 * event the feed delivers later is after the feed's cursor at that moment, which the
 * replay's read reaches, so nothing falls in between. A subscriber that falls
 * LIVE_BACKLOG_MAX events behind is ended with LedgerUnavailableError: memory stays
 * bounded, and it resumes from its last cursor.
 */
export async function openEventStream(
  db: Db,
  feed: EventFeed,
  options: EventStreamOptions,
): Promise<AsyncGenerator<LedgerEvent, void, undefined>> {
  const { signal } = options;
  const backlog: LedgerEvent[] = [];
  // An object: the listener sets it, and a plain variable would be narrowed to false.
  const state: { overflowed: boolean; wakeUp?: () => void } = { overflowed: false };
  const leave = await feed.subscribe((event) => {
    if (backlog.length >= LIVE_BACKLOG_MAX) state.overflowed = true;
    else backlog.push(event);
    state.wakeUp?.();
  });
  const onAbort = () => {
    leave();
    state.wakeUp?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const nextLive = () =>
    new Promise<void>((resolve) => {
      state.wakeUp = resolve;
      if (signal?.aborted) resolve();
    });

  async function* events(): AsyncGenerator<LedgerEvent, void, undefined> {
    try {
      let last = options.after;
      for (let more = last !== undefined; more && !signal?.aborted;) {
        const page = await listEvents(db, { after: last, limit: PAGE_SIZE_MAX });
        yield* page.items;
        last = page.next;
        more = page.hasMore;
      }
      while (!signal?.aborted) {
        if (state.overflowed) throw new LedgerUnavailableError();
        const event = backlog.shift();
        if (event === undefined) {
          await nextLive();
          state.wakeUp = undefined;
          continue;
        }
        if (last !== undefined && compareEventCursors(event.cursor, last) <= 0) continue;
        last = event.cursor;
        yield event;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      leave();
    }
  }
  return events();
}
