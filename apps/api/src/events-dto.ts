import { formatMinor, minorDigitsOf, type restEvent } from '@wallet/contract';
import type { EventPage, LedgerEvent } from '@wallet/ledger';
import type { z } from 'zod';

/**
 * An outbox event as both edges show it: amounts as decimal text with all the
 * currency's digits (an event is read by programs, which should never meet a float),
 * the date a Date for tRPC (superjson) and ISO text for REST.
 */
export function toEventOutput(event: LedgerEvent) {
  return {
    id: event.id,
    cursor: event.cursor,
    type: event.type,
    walletId: event.walletId,
    walletSequence: event.walletSequence,
    counterpartyWalletId: event.counterpartyWalletId,
    counterpartySequence: event.counterpartySequence,
    transactionId: event.transactionId,
    currency: event.currency,
    amount:
      event.amountMinor === null
        ? null
        : formatMinor(event.amountMinor, minorDigitsOf(event.currency)),
    data: event.data,
    createdAt: new Date(event.createdAt.getTime()),
  };
}

export function toEventPageOutput(page: EventPage) {
  return { items: page.items.map(toEventOutput), next: page.next, hasMore: page.hasMore };
}

export type RestEvent = z.infer<typeof restEvent>;

export function toRestEventPage(page: EventPage): {
  items: RestEvent[];
  next: string;
  hasMore: boolean;
} {
  return {
    items: page.items.map((event) => ({
      ...toEventOutput(event),
      createdAt: event.createdAt.toISOString(),
    })),
    next: page.next,
    hasMore: page.hasMore,
  };
}
