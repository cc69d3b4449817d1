'use client';

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';

import { csrfToken, redirectToSignIn } from './csrf';
import { trpc } from './react';

/** Queries retry only what a retry can fix: a failure of the network or the server, not a refusal. */
const QUERY_RETRY_ATTEMPTS_MAX = 2;

function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (failureCount >= QUERY_RETRY_ATTEMPTS_MAX) return false;
  if (!(error instanceof TRPCClientError)) return true;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  return status === undefined || status >= 500;
}

/** A 401 anywhere means the session is gone: the API is the gate, this only follows it. */
function onApiError(error: unknown): void {
  if (!(error instanceof TRPCClientError)) return;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  if (status === 401) redirectToSignIn();
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onApiError }),
    mutationCache: new MutationCache({ onError: onApiError }),
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
      links: [
        // Subscriptions (events.live) are server-sent events: one EventSource each, on the
        // same origin (the session cookie goes with it), resumed from its last event id.
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
          false: httpBatchLink({
            url: '/trpc',
            transformer: superjson,
            // Mutations carry the session's CSRF token; the cookie goes by itself.
            headers: async ({ opList }) => {
              if (!opList.some((op) => op.type === 'mutation')) return {};
              const token = await csrfToken();
              return token === null ? {} : { 'x-csrf-token': token };
            },
          }),
        }),
      ],
    }),
  );
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
