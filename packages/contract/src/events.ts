import { z } from 'zod';

import { fieldError } from './issues';
import { CURSOR_LENGTH_MAX } from './limits';
import { currencySchema, pageLimitSchema, walletIdSchema } from './schemas';
import { EVENT_TYPES } from './vocabulary';

/**
 * The outbox's wire schemas: the pull API's input (GET /events, events.list), the live
 * subscription's (events.live) and the REST page (docs/events.md).
 */

/**
 * A position in the outbox's global order: an event's `cursor`, or a page's `next`.
 * Opaque to clients (two decimal numbers, the writing transaction's and the row's);
 * `0-0` is the start, before every event.
 */
export const EVENT_CURSOR_START = '0-0';
export const eventCursorSchema = z
  .string({ error: fieldError('must be a string') })
  .max(CURSOR_LENGTH_MAX, { error: `must be at most ${CURSOR_LENGTH_MAX} characters` })
  .regex(/^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,18})$/, {
    error: "must be an event's cursor or a page's next (such as 0-0)",
    abort: true,
  })
  // Within PostgreSQL's xid8 and bigint: a cursor no row can have is refused, not a 500.
  .refine(
    (cursor) => {
      const [transaction = '', position = ''] = cursor.split('-');
      return BigInt(transaction) < 2n ** 64n && BigInt(position) < 2n ** 63n;
    },
    { error: 'is out of range' },
  );

/** The outbox from a position on, oldest first: `after` omitted is the start. */
export const listEventsInput = z
  .strictObject({
    after: eventCursorSchema.optional(),
    limit: pageLimitSchema,
  })
  .prefault({});

/**
 * The live feed of events (a tRPC subscription), optionally of one wallet. `lastEventId`
 * is what tRPC's client sends back on a reconnection (the last event's cursor): the
 * events after it are replayed from the outbox first, so a reconnection loses none.
 */
export const liveEventsInput = z
  .strictObject({
    walletId: walletIdSchema.optional(),
    lastEventId: eventCursorSchema.optional(),
  })
  .prefault({});

export type ListEventsInput = z.input<typeof listEventsInput>;
export type LiveEventsInput = z.input<typeof liveEventsInput>;

export const restListEventsQuery = listEventsInput;

/** One event of the outbox, as GET /events shows it (docs/events.md: each type's data). */
export const restEvent = z.object({
  id: z.uuid().meta({ description: 'Unique: deduplicate on it (a delivery may repeat)' }),
  cursor: z.string().meta({ description: 'Its place in the global order: pass as `after`' }),
  type: z.enum(EVENT_TYPES),
  walletId: z.uuid().meta({ description: "The wallet (a transfer's sender)" }),
  walletSequence: z.number().int().meta({
    description: "The wallet's entry sequence after the write: its own order of its events",
  }),
  counterpartyWalletId: z.uuid().nullable().meta({ description: "A transfer's receiver" }),
  counterpartySequence: z.number().int().nullable(),
  transactionId: z.uuid(),
  currency: currencySchema,
  amount: z.string().nullable().meta({
    description: "What moved, as decimal text with all the currency's digits (null: none)",
  }),
  data: z.record(z.string(), z.unknown()).meta({ description: "The event's facts, by type" }),
  createdAt: z.iso.datetime(),
});

export const restEventPage = z.object({
  items: z.array(restEvent),
  next: z.string().meta({
    description: 'Pass as `after` for what follows: the last item, or `after` when none',
  }),
  hasMore: z.boolean().meta({ description: 'More events follow `next` right now' }),
});
