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
  signal?: AbortSignal;
}

/**
 * The events one subscriber gets, in the global order, each once: those after `after`
 * read from the outbox, then the live feed's, skipping what the replay already gave.
 * (It joins the feed before the replay: every event the feed delivers later is after
 * the feed's cursor at that moment, which the replay's read reaches, so nothing falls
 * in between.) A subscriber that falls LIVE_BACKLOG_MAX events behind is ended with
 * LedgerUnavailableError: memory stays bounded, and it resumes from its last cursor.
 */
export async function* streamEvents(
  db: Db,
  feed: EventFeed,
  options: EventStreamOptions,
): AsyncGenerator<LedgerEvent, void, undefined> {
  const backlog: LedgerEvent[] = [];
  // An object: the listener sets it, and a plain variable would be narrowed to false.
  const state = { overflowed: false };
  let wakeUp: (() => void) | undefined;
  const unsubscribe = await feed.subscribe((event) => {
    if (backlog.length >= LIVE_BACKLOG_MAX) state.overflowed = true;
    else backlog.push(event);
    wakeUp?.();
  });
  const onAbort = () => wakeUp?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    let last = options.after;
    if (last !== undefined) {
      for (;;) {
        const page = await listEvents(db, { after: last, limit: PAGE_SIZE_MAX });
        yield* page.items;
        last = page.next;
        if (!page.hasMore || options.signal?.aborted) break;
      }
    }
    while (!options.signal?.aborted) {
      if (state.overflowed) throw new LedgerUnavailableError();
      const event = backlog.shift();
      if (event === undefined) {
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          if (options.signal?.aborted) resolve();
        });
        wakeUp = undefined;
        continue;
      }
      if (last !== undefined && compareEventCursors(event.cursor, last) <= 0) continue;
      last = event.cursor;
      yield event;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
