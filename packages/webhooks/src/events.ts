/**
 * What webhooks deliver: the ledger's events, read in order from an event source (the
 * transactional outbox). The dispatcher keeps its own position in the source and asks
 * for "the events after this cursor, at most N"; a source must never skip an event
 * (an event committed late must not appear before a cursor already handed out).
 */
export interface LedgerEvent {
  /** Unique and stable: the `webhook-id` header, what receivers deduplicate on. */
  id: string;
  /** `wallet.created`, `wallet.funded`, `transfer.completed`, … */
  type: string;
  walletIds: readonly string[];
  /** JSON-safe (amounts as decimal text): sent as the body's `data`. */
  payload: Readonly<Record<string, unknown>>;
  createdAt: Date;
}

export interface EventPage {
  /** Where the next read starts: the position after the last event of this page. */
  cursor: string;
  events: LedgerEvent[];
  /**
   * Whether more events were ready past this page when it was read: the dispatcher reads
   * again at once instead of waiting out its poll interval. (A source may serve fewer
   * events than asked for: the ledger's pages hold at most PAGE_SIZE_MAX.)
   */
  hasMore: boolean;
}

export interface EventSource {
  /** The position before the first event of the stream. */
  readonly initialCursor: string;
  /** The events after `cursor`, in order, at most `limit`. */
  readAfter(cursor: string, limit: number): Promise<EventPage>;
}

/** The body every attempt of a delivery sends (Standard Webhooks' shape, plus the id). */
export interface WebhookBody {
  id: string;
  type: string;
  timestamp: string;
  walletIds: readonly string[];
  data: Readonly<Record<string, unknown>>;
}

export function webhookBodyOf(event: LedgerEvent): WebhookBody {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    walletIds: event.walletIds,
    data: event.payload,
  };
}

/** Whether an endpoint subscribed to these types wants an event of this type. */
export function subscribesTo(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.includes('*') || eventTypes.includes(type);
}
