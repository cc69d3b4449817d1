import { restError } from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { restErrorBody } from '../errors';

const healthy = z.object({ status: z.literal('ok') });

/** For load balancers and orchestrators: 200 only while the database answers. */
export const healthRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (
  app,
  { ledger },
  done,
) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness and database reachability',
        tags: ['health'],
        response: {
          200: healthy.describe('The service and its database answer'),
          503: restError.describe('The database does not answer'),
        },
      },
    },
    async (request, reply) => {
      try {
        await ledger.checkHealth();
      } catch (error) {
        request.log.warn({ err: error }, 'health check failed');
        return reply.code(503).send(restErrorBody(503, request.url, 'Database unavailable'));
      }
      return reply.code(200).send({ status: 'ok' });
    },
  );
  done();
};
