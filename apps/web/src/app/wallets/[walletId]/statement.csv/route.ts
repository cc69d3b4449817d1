import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@wallet/api';
import {
  statementCsv,
  statementCsvPageOf,
  STATEMENT_CSV_MEDIA_TYPE,
  type StatementCsvPage,
} from '@wallet/contract';
import superjson from 'superjson';

import { readWebEnv } from '~/env';

/**
 * The statement download: the operator's browser asks the dashboard, which reads the
 * statement from the API page by page over tRPC (`wallets.statement`, with the operator's
 * own session cookie, so the API decides who may read it) and streams the CSV on as it
 * goes. The contract writes the CSV, as it does for the REST export.
 */

const { API_URL } = readWebEnv();

export const dynamic = 'force-dynamic';

export async function GET(
  request: Request,
  { params }: { params: Promise<{ walletId: string }> },
): Promise<Response> {
  const { walletId } = await params;
  const search = new URL(request.url).searchParams;
  const period = {
    walletId,
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
  };
  const cookie = request.headers.get('cookie');
  const api = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: new URL('/trpc', API_URL).href,
        transformer: superjson,
        headers: cookie === null ? {} : { cookie },
      }),
    ],
  });
  const readPage = async (cursor?: string) =>
    statementCsvPageOf(
      await api.wallets.statement.query({ ...period, cursor }, { signal: request.signal }),
    );
  let first: StatementCsvPage;
  try {
    first = await readPage();
  } catch (error) {
    return refusal(error);
  }
  const lines = statementCsv(first, readPage);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': STATEMENT_CSV_MEDIA_TYPE,
      'content-disposition': `attachment; filename="statement-${walletId}.csv"`,
      'cache-control': 'no-store',
    },
  });
}

/** The API's refusal as plain text with its status (the browser shows it in place of a file). */
function refusal(error: unknown): Response {
  const status =
    error instanceof TRPCClientError
      ? ((error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 502)
      : 502;
  const message =
    error instanceof TRPCClientError ? error.message : 'The wallet API could not be reached.';
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
