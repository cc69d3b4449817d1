import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { expect } from 'vitest';

import type { AppRouter } from '../../src';
import { bearer } from './api';

export type TrpcClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A real @trpc/client over HTTP, sending `apiKey` as its bearer credential. */
export function trpcClientOf(baseUrl: string, apiKey: string): TrpcClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${baseUrl}/trpc`, transformer: superjson, headers: bearer(apiKey) }),
    ],
  });
}

/** The error a call rejects with, typed by the router (fails the test if the call succeeds). */
export async function trpcFailureOf(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error: unknown = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
}
