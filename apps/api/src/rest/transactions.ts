import {
  restReversalResult,
  restReverseTransactionBody,
  restTransactionDetail,
  restTransactionParams,
  restWriteHeaders,
} from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { toRestReversal, toRestTransactionDetail } from '../dto';
import { writeContextOf } from '../security/guard';
import { withHeaderKey } from './idempotency-header';
import { BODY_ERRORS, errorResponses } from './responses';

const PATH_ERRORS = ['INVALID_PATH', 'URI_TOO_LONG', 'TRANSACTION_NOT_FOUND'] as const;

/** One transaction by id (what a retry's 409 and a write's `transactionId` name), and its reversal. */
export const transactionRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (
  app,
  { ledger },
  done,
) => {
  // A reversal's body is optional: none at all (no Content-Type either) reads as {}.
  app.addHook('preValidation', (request, _reply, next) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {};
    next();
  });

  app.get(
    '/transactions/:id',
    {
      config: { operation: 'transactions.byId' },
      schema: {
        summary:
          'One funding, withdrawal, transfer (both legs) or reversal, by its id or a leg id, with its reversals or its original',
        tags: ['transactions'],
        params: restTransactionParams,
        response: {
          200: restTransactionDetail.describe('The transaction, its legs and its reversal links'),
          ...errorResponses(...PATH_ERRORS),
        },
      },
    },
    async (request) =>
      toRestTransactionDetail(await ledger.getTransaction({ transactionId: request.params.id })),
  );

  app.post(
    '/transactions/:id/reverse',
    {
      config: { operation: 'transactions.reverse' },
      schema: {
        summary:
          'Reverse a funding, withdrawal or transfer, all that is left of it or a part (several partial reversals never exceed it)',
        tags: ['transactions'],
        headers: restWriteHeaders,
        params: restTransactionParams,
        body: restReverseTransactionBody,
        response: {
          200: restReversalResult.describe(
            'The reversal made, and what is reversed of the original',
          ),
          ...errorResponses(
            ...BODY_ERRORS,
            ...PATH_ERRORS,
            'TRANSACTION_NOT_REVERSIBLE',
            'REVERSAL_EXCEEDS_ORIGINAL',
            'WALLET_FROZEN',
            'WALLET_CLOSED',
            'INSUFFICIENT_FUNDS',
            'BALANCE_LIMIT_EXCEEDED',
            'DUPLICATE_IDEMPOTENCY_KEY',
            'LEDGER_BUSY',
            'LEDGER_UNAVAILABLE',
          ),
        },
      },
    },
    async (request) => {
      const body = withHeaderKey(request.body, request.headers);
      const result = await ledger.reverseTransaction(
        { transactionId: request.params.id, ...body },
        writeContextOf(request),
      );
      return toRestReversal(result);
    },
  );
  done();
};
