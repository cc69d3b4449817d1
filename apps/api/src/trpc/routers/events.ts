import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { listEventsInput, liveEventsInput } from '@wallet/contract';
import type { LedgerEvent } from '@wallet/ledger';

import { toEventOutput, toEventPageOutput } from '../../events-dto';
import { procedureFor } from '../init';

/**
 * The outbox: `list` for clients that pull by cursor; `live`, a subscription (server-sent
 * events through httpSubscriptionLink) fed by this process's one live feed. Each event is
 * sent `tracked` by its cursor, so a client that reconnects sends it back as
 * `lastEventId` and gets what it missed from the outbox first.
 */
export const eventsRouter = {
  list: procedureFor('events.list')
    .input(listEventsInput)
    .query(async ({ ctx, input }) => toEventPageOutput(await ctx.ledger.listEvents(input))),

  live: procedureFor('events.live')
    .input(liveEventsInput)
    // Joins the feed before answering (so "connected" means every later commit is in the
    // stream), then filters and shapes.
    // A closing server ends its streams (their clients resume elsewhere from their last
    // event), so a graceful shutdown does not wait its whole drain window on them.
    .subscription(async ({ ctx, input, signal }) => {
      const signals = [signal, ctx.closing].filter((one) => one !== undefined);
      const events = await ctx.ledger.streamEvents(input, AbortSignal.any(signals));
      return sendTracked(events, input.walletId?.toLowerCase());
    }),
} satisfies TRPCRouterRecord;

async function* sendTracked(events: AsyncGenerator<LedgerEvent>, walletId: string | undefined) {
  for await (const event of events) {
    const concerned =
      walletId === undefined ||
      event.walletId === walletId ||
      event.counterpartyWalletId === walletId;
    if (concerned) yield tracked(event.cursor, toEventOutput(event));
  }
}
