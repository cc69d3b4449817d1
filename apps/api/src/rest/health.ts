import { restError } from '@wallet/contract';
import type { MigrationStatus } from '@wallet/db';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { restErrorBody } from '../errors';

const healthy = z.object({ status: z.literal('ok') });

export interface HealthOptions {
  ledger: Ledger;
  /** The committed migrations not applied to the database; rejects when it does not answer. */
  readMigrationStatus: () => Promise<MigrationStatus>;
}

/** For load balancers and orchestrators; open without a credential. */
export const healthRoutes: FastifyPluginCallbackZod<HealthOptions> = (
  app,
  { ledger, readMigrationStatus },
  done,
) => {
  app.get(
    '/healthz',
    {
      config: { operation: 'health.live' },
      schema: {
        summary: 'Liveness and database reachability',
        // For the orchestrator, like /metrics: not part of the clients' API document.
        hide: true,
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

  app.get(
    '/readyz',
    {
      config: { operation: 'health.ready' },
      schema: {
        summary: 'Readiness: the database answers and every committed migration is applied',
        // For the orchestrator, like /metrics: not part of the clients' API document.
        hide: true,
        tags: ['health'],
        response: {
          200: healthy.describe('Ready to serve'),
          503: restError.describe('The database does not answer, or migrations are pending'),
        },
      },
    },
    async (request, reply) => {
      let pending: string[];
      try {
        ({ pending } = await readMigrationStatus());
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return reply.code(503).send(restErrorBody(503, request.url, 'Database unavailable'));
      }
      if (pending.length > 0) {
        const message = `Migrations not applied: ${pending.join(', ')}`;
        return reply.code(503).send(restErrorBody(503, request.url, message));
      }
      return reply.code(200).send({ status: 'ok' });
    },
  );
  done();
};
