import { EVENT_CURSOR_START, PAGE_SIZE_MAX } from '@wallet/contract';
import type { Ledger, LedgerEvent as OutboxEvent } from '@wallet/ledger';

import type { EventSource, LedgerEvent } from './events';

/**
 * The ledger's transactional outbox as the dispatcher's source: its pull API in the
 * outbox's global order, whose cursor never skips an event that commits late
 * (packages/ledger/src/events/read.ts).
 */
export function ledgerEventSource(ledger: Pick<Ledger, 'listEvents'>): EventSource {
  return {
    initialCursor: EVENT_CURSOR_START,
    readAfter: async (cursor, limit) => {
      const page = await ledger.listEvents({
        after: cursor,
        limit: Math.min(limit, PAGE_SIZE_MAX),
      });
      return {
        cursor: page.next,
        events: page.items.map(toWebhookEvent),
        hasMore: page.hasMore,
      };
    },
  };
}

/** The event's data, with the facts every event carries beside it (its wallets' order). */
function toWebhookEvent(event: OutboxEvent): LedgerEvent {
  const walletIds = [event.walletId];
  if (event.counterpartyWalletId !== null) walletIds.push(event.counterpartyWalletId);
  return {
    id: event.id,
    type: event.type,
    walletIds,
    payload: {
      ...event.data,
      cursor: event.cursor,
      walletId: event.walletId,
      walletSequence: event.walletSequence,
      counterpartyWalletId: event.counterpartyWalletId,
      counterpartySequence: event.counterpartySequence,
      transactionId: event.transactionId,
      currency: event.currency,
    },
    createdAt: event.createdAt,
  };
}
