import { TRPCClientError } from '@trpc/client';
import type { WebhookErrorCode } from '@wallet/contract';

import { describeProblem, type Operation, type ProblemReport } from './errors';

/**
 * A webhook procedure's refusal in an admin's words. The API tags the webhook layer's
 * outcomes with `data.webhookCode` (the contract's catalogue): a new code fails WORDS.
 * Anything else (bad input, the guard, an unreachable service) is `describeProblem`'s.
 */
const WORDS: Record<WebhookErrorCode, (apiMessage: string | undefined) => ProblemReport> = {
  WEBHOOK_NOT_FOUND: () => ({ message: 'This webhook endpoint does not exist (any more).' }),
  WEBHOOK_DELIVERY_NOT_FOUND: () => ({
    message: 'This endpoint has no such delivery (any more).',
  }),
  // The API says which address was refused and why: worth showing in full.
  WEBHOOK_URL_REFUSED: (apiMessage) => ({
    message:
      'The service refused this URL: its host does not resolve, or is an address webhooks may not reach (loopback, private, link-local). Nothing was created.',
    detail: apiMessage,
  }),
  WEBHOOK_ENDPOINTS_LIMIT: (apiMessage) => ({
    message: 'There are as many endpoints as allowed. Delete one first.',
    detail: apiMessage,
  }),
  WEBHOOKS_UNAVAILABLE: () => ({
    message: 'Webhooks cannot be reached right now (the database did not answer). Try again.',
  }),
};

export function webhookCodeOf(error: unknown): WebhookErrorCode | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { webhookCode?: WebhookErrorCode | null } | null | undefined;
  return data?.webhookCode ?? null;
}

export function describeWebhookProblem(error: unknown, operation: Operation): ProblemReport {
  const code = webhookCodeOf(error);
  if (code === null) return describeProblem(error, operation);
  return WORDS[code](error instanceof Error ? error.message : undefined);
}
