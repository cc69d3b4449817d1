import { restTransactionDetail, restTransactionParams } from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { toRestTransactionDetail } from '../dto';
import { errorResponses } from './responses';

/** One transaction by id: what a retry's 409 and a write's `transactionId` name. */
export const transactionRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (
  app,
  { ledger },
  done,
) => {
  app.get(
    '/transactions/:id',
    {
      config: { operation: 'transactions.byId' },
      schema: {
        summary: 'One funding, or one transfer with both legs (by its id or a leg id)',
        tags: ['transactions'],
        params: restTransactionParams,
        response: {
          200: restTransactionDetail.describe('The transaction and its legs'),
          ...errorResponses('INVALID_PATH', 'URI_TOO_LONG', 'TRANSACTION_NOT_FOUND'),
        },
      },
    },
    async (request) =>
      toRestTransactionDetail(await ledger.getTransaction({ transactionId: request.params.id })),
  );
  done();
};
