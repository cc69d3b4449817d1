import { Readable } from 'node:stream';

import {
  restStatementQuery,
  restWalletParams,
  statementCsv,
  statementCsvPageOf,
  STATEMENT_CSV_MEDIA_TYPE,
} from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { toStatementPageOutput } from '../dto';
import { errorResponses } from './responses';

/**
 * A wallet's statement as CSV, streamed: one page of entries read at a time, so a period
 * of a million entries costs one page of memory. The first page is read before the
 * answer starts: an unknown wallet or a wrong period is a 404 or 422 in the documented
 * shape, never a 200 cut short.
 */
export const statementRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (
  app,
  { ledger },
  done,
) => {
  app.get(
    '/wallets/:id/statement.csv',
    {
      config: { operation: 'wallets.statement' },
      schema: {
        summary: "A wallet's statement for a period, as CSV",
        description:
          'An OPENING_BALANCE row, the entries stamped in [from, to) oldest first with signed amounts and the balance after each, and a CLOSING_BALANCE row. Without from: since the first entry; without to: up to now. A text that ends without its CLOSING_BALANCE row was cut short.',
        tags: ['wallets'],
        params: restWalletParams,
        querystring: restStatementQuery,
        produces: ['text/csv'],
        response: {
          200: z.string().describe('The statement (text/csv, RFC 4180)'),
          ...errorResponses('INVALID_PATH', 'URI_TOO_LONG', 'WALLET_NOT_FOUND', 'INVALID_INPUT'),
        },
      },
    },
    async (request, reply) => {
      const period = { walletId: request.params.id, ...request.query };
      const readPage = async (cursor?: string) =>
        statementCsvPageOf(
          toStatementPageOutput(await ledger.readStatementPage({ ...period, cursor })),
        );
      const lines = statementCsv(await readPage(), readPage);
      return (
        reply
          .type(STATEMENT_CSV_MEDIA_TYPE)
          .header('content-disposition', `attachment; filename="statement-${period.walletId}.csv"`)
          // The schema documents the text the stream writes; Fastify sends a stream as it is.
          .send(Readable.from(lines) as unknown as string)
      );
    },
  );
  done();
};
