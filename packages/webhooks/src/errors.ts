import type { WebhookErrorCode } from '@wallet/contract';

/**
 * The webhook layer's outcomes a caller can be told about. The codes, their tRPC codes
 * and HTTP statuses live in the contract's error catalogue; a code without its row there
 * fails the type check. Bad input is the ledger's InvalidInputError (INVALID_INPUT).
 */
export { WEBHOOK_ERROR_CODES, type WebhookErrorCode } from '@wallet/contract';

export abstract class WebhookError extends Error {
  abstract readonly code: WebhookErrorCode;
}

export class WebhookNotFoundError extends WebhookError {
  readonly code = 'WEBHOOK_NOT_FOUND';
  override readonly name = 'WebhookNotFoundError';
  constructor(id: string) {
    super(`Webhook endpoint ${id} not found`);
  }
}

export class WebhookDeliveryNotFoundError extends WebhookError {
  readonly code = 'WEBHOOK_DELIVERY_NOT_FOUND';
  override readonly name = 'WebhookDeliveryNotFoundError';
  constructor(webhookId: string, deliveryId: string) {
    super(`Webhook endpoint ${webhookId} has no delivery ${deliveryId}`);
  }
}

/** The URL's host is, or resolves to, an address webhooks may not reach (SSRF). */
export class WebhookUrlRefusedError extends WebhookError {
  readonly code = 'WEBHOOK_URL_REFUSED';
  override readonly name = 'WebhookUrlRefusedError';
}

export class WebhookEndpointsLimitError extends WebhookError {
  readonly code = 'WEBHOOK_ENDPOINTS_LIMIT';
  override readonly name = 'WebhookEndpointsLimitError';
  constructor(limit: number) {
    super(`At most ${limit} webhook endpoints may exist; delete one first`);
  }
}

/** The database did not answer: a 503 the caller may retry, never a 500. */
export class WebhooksUnavailableError extends WebhookError {
  readonly code = 'WEBHOOKS_UNAVAILABLE';
  override readonly name = 'WebhooksUnavailableError';
  constructor() {
    super('Webhooks cannot be reached right now: the database is unavailable. Retry shortly.');
  }
}
