import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { listEventsInput, liveEventsInput } from '@wallet/contract';

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
    .subscription(async function* ({ ctx, input, signal }) {
      for await (const event of ctx.ledger.streamEvents(input, signal)) {
        const concerned =
          input.walletId === undefined ||
          event.walletId === input.walletId.toLowerCase() ||
          event.counterpartyWalletId === input.walletId.toLowerCase();
        if (concerned) yield tracked(event.cursor, toEventOutput(event));
      }
    }),
} satisfies TRPCRouterRecord;
