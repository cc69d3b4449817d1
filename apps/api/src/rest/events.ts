import { restEventPage, restListEventsQuery } from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { toRestEventPage } from '../events-dto';
import { errorResponses } from './responses';

/** The outbox for clients that pull: a page after a cursor, oldest first (docs/events.md). */
export const eventRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (
  app,
  { ledger },
  done,
) => {
  app.get(
    '/events',
    {
      config: { operation: 'events.list' },
      schema: {
        summary: 'Events of committed writes, oldest first, after a cursor',
        description:
          "Every committed write (wallet created, funded, withdrawn, transfer completed) as one event, in one global order that never skips: pass the page's `next` as `after` to continue, from any point. An event whose transaction is still running behind an older one appears once that one ends. Deduplicate on `id`.",
        tags: ['events'],
        querystring: restListEventsQuery,
        response: {
          200: restEventPage.describe('A page of events, and where to continue'),
          ...errorResponses('INVALID_INPUT', 'LEDGER_UNAVAILABLE'),
        },
      },
    },
    async (request) => toRestEventPage(await ledger.listEvents(request.query)),
  );
  done();
};
