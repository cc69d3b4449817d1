import { Readable } from 'node:stream';

import {
  BALANCE_SERIES_POINTS_MAX,
  restBalanceSeries,
  restBalanceSeriesQuery,
  restStatementQuery,
  restWalletParams,
  statementCsv,
  statementCsvPageOf,
  STATEMENT_CSV_MEDIA_TYPE,
} from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { toRestBalanceSeries, toStatementPageOutput } from '../dto';
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
  app.get(
    '/wallets/:id/balance-series',
    {
      config: { operation: 'wallets.balanceSeries' },
      schema: {
        summary: "A wallet's balance at evenly spaced instants of a period (a chart's series)",
        description: `The balance as of each of \`points\` instants from \`from\` to \`to\` (both included, evenly spaced to the microsecond): every entry stamped at or before the instant counted, 0 before the wallet's first entry. At most ${BALANCE_SERIES_POINTS_MAX} points.`,
        tags: ['wallets'],
        params: restWalletParams,
        querystring: restBalanceSeriesQuery,
        response: {
          200: restBalanceSeries.describe('The balance at each instant, oldest first'),
          ...errorResponses('INVALID_PATH', 'URI_TOO_LONG', 'WALLET_NOT_FOUND', 'INVALID_INPUT'),
        },
      },
    },
    async (request) =>
      toRestBalanceSeries(
        await ledger.balanceSeries({ walletId: request.params.id, ...request.query }),
      ),
  );
  done();
};
