'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, TRPCClientError } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';

import { trpc } from './react';

/** Queries retry only what a retry can fix: a failure of the network or the server, not a refusal. */
const QUERY_RETRY_ATTEMPTS_MAX = 2;

function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (failureCount >= QUERY_RETRY_ATTEMPTS_MAX) return false;
  if (!(error instanceof TRPCClientError)) return true;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  return status === undefined || status >= 500;
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: shouldRetryQuery, refetchOnWindowFocus: true },
      // A mutation is never retried behind the operator's back: the form decides.
      mutations: { retry: false },
    },
  });
}

/**
 * The browser calls its own origin's /trpc; the dashboard's server forwards it to the API
 * (src/app/trpc/[...path]/route.ts), so the API needs no CORS and its address stays server-side.
 */
export function TRPCProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    trpc.createClient({
      links: [httpBatchLink({ url: '/trpc', transformer: superjson })],
    }),
  );
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
