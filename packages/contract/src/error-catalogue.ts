import { JSON_NESTING_DEPTH_MAX, REQUEST_BODY_BYTES_MAX, ROUTE_PARAM_LENGTH_MAX } from './limits';

/**
 * Every outcome a client can be told about, each named by a code, and the one table that
 * maps each code to its tRPC code, its HTTP status and the sentence the OpenAPI document
 * gives it. The ledger's and the access layer's errors, the API's REST and tRPC mappings,
 * the route documentation and the dashboard's words are all keyed on these codes; a code
 * added to a list without its row in the table fails the type check (`satisfies` below).
 */

/** The ledger's domain outcomes (`LedgerError.code`). */
export const LEDGER_ERROR_CODES = [
  'INVALID_INPUT',
  'WALLET_NOT_FOUND',
  'TRANSACTION_NOT_FOUND',
  'INSUFFICIENT_FUNDS',
  'SAME_WALLET_TRANSFER',
  'CURRENCY_MISMATCH',
  'BALANCE_LIMIT_EXCEEDED',
  'DUPLICATE_IDEMPOTENCY_KEY',
  'LEDGER_BUSY',
  'LEDGER_UNAVAILABLE',
  'TRANSACTION_NOT_REVERSIBLE',
  'REVERSAL_EXCEEDS_ORIGINAL',
  'HOLD_NOT_FOUND',
  'HOLD_NOT_PENDING',
  'HOLD_EXPIRED',
  'CAPTURE_EXCEEDS_HOLD',
  'WALLET_FROZEN',
  'WALLET_CLOSED',
  'WALLET_NOT_EMPTY',
  'WALLET_HAS_PENDING_HOLDS',
  'WALLET_STATUS_TRANSITION_INVALID',
] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

/** The access layer's outcomes (`AccessError.code`): credentials, roles, operators. */
export const ACCESS_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'INVALID_ACCESS_INPUT',
  'API_KEY_NOT_FOUND',
  'OPERATOR_NOT_FOUND',
  'USERNAME_TAKEN',
  'ACCESS_UNAVAILABLE',
] as const;
export type AccessErrorCode = (typeof ACCESS_ERROR_CODES)[number];

/** The webhook layer's outcomes (`WebhookError.code`): endpoints and their deliveries. */
export const WEBHOOK_ERROR_CODES = [
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_DELIVERY_NOT_FOUND',
  'WEBHOOK_URL_REFUSED',
  'WEBHOOK_ENDPOINTS_LIMIT',
  'WEBHOOKS_UNAVAILABLE',
] as const;
export type WebhookErrorCode = (typeof WEBHOOK_ERROR_CODES)[number];

/** What the HTTP edge refuses on its own, before or around any domain call. */
export const EDGE_ERROR_CODES = [
  'MALFORMED_REQUEST',
  'INVALID_PATH',
  'ROUTE_NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type EdgeErrorCode = (typeof EDGE_ERROR_CODES)[number];

export const ERROR_CODES = [
  ...LEDGER_ERROR_CODES,
  ...ACCESS_ERROR_CODES,
  ...WEBHOOK_ERROR_CODES,
  ...EDGE_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The tRPC error codes the table uses, spelt as @trpc/server spells them (this package
 * imports nothing but zod; the API's type check proves each one is a tRPC code).
 */
export type TrpcErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNPROCESSABLE_CONTENT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE';

/** The statuses an error of this service can have. */
export type ErrorHttpStatus = 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 422 | 429 | 500 | 503;

export interface ErrorCatalogueEntry {
  readonly trpc: TrpcErrorCode;
  readonly http: ErrorHttpStatus;
  /** For the OpenAPI document: what the outcome means, and what the client can do. */
  readonly description: string;
}

export const ERROR_CATALOGUE = {
  // ---------------------------------------------------------------- ledger
  INVALID_INPUT: {
    trpc: 'UNPROCESSABLE_CONTENT',
    http: 422,
    description: 'The request failed validation; the message names every wrong field',
  },
  WALLET_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404, description: 'The wallet does not exist' },
  TRANSACTION_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    http: 404,
    description: 'No funding, withdrawal, transfer or reversal has this id',
  },
  INSUFFICIENT_FUNDS: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: "The sender's balance does not cover the amount; nothing was moved",
  },
  SAME_WALLET_TRANSFER: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'Sender and receiver are the same wallet',
  },
  CURRENCY_MISMATCH: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'The two wallets hold different currencies',
  },
  BALANCE_LIMIT_EXCEEDED: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'The movement would take a balance past the largest a wallet may hold (or, for a funding, the money in all wallets of the currency past the largest the ledger keeps)',
  },
  DUPLICATE_IDEMPOTENCY_KEY: {
    trpc: 'CONFLICT',
    http: 409,
    description:
      "The caller's idempotency key was already used: `same_request` says whether by this same request (a retry: it was applied once) and `original_transaction_id` (or, for a wallet's creation, `wallet_id`) names what it did",
  },
  LEDGER_BUSY: {
    trpc: 'SERVICE_UNAVAILABLE',
    http: 503,
    description: 'The ledger is busy; nothing was written, and a retry may succeed',
  },
  LEDGER_UNAVAILABLE: {
    trpc: 'SERVICE_UNAVAILABLE',
    http: 503,
    description:
      'The ledger database is unavailable; retry with the same idempotency key (a 409 then means the write had been applied)',
  },
  TRANSACTION_NOT_REVERSIBLE: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'The transaction is itself a reversal, which cannot be reversed',
  },
  REVERSAL_EXCEEDS_ORIGINAL: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'The reversal would take what is reversed of the transaction past its amount; `remaining` says what is left to reverse',
  },
  HOLD_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404, description: 'No hold has this id' },
  HOLD_NOT_PENDING: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'The hold was already captured, voided or expired: a hold is resolved once; `status` says how',
  },
  HOLD_EXPIRED: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'The hold is past its expiry (by the database clock): it can no longer be captured, and its amount is released',
  },
  CAPTURE_EXCEEDS_HOLD: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'The capture asks for more than the hold reserved; nothing was moved',
  },
  WALLET_FROZEN: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'The wallet is frozen: nothing may leave it (transfer out, withdrawal, hold placed or captured from it, reversal taking money from it) until it is made active again; money may still come in',
  },
  WALLET_CLOSED: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'The wallet is closed, for good: no money moves in or out of it',
  },
  WALLET_NOT_EMPTY: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'Only a wallet with a zero balance may close; move its money out first',
  },
  WALLET_HAS_PENDING_HOLDS: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'Only a wallet without pending holds may close; capture or void them first (or let them expire)',
  },
  WALLET_STATUS_TRANSITION_INVALID: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description:
      'The wallet cannot change to that status: a closed wallet stays closed (ACTIVE and FROZEN change into each other, or to CLOSED)',
  },
  // ---------------------------------------------------------------- access
  UNAUTHENTICATED: {
    trpc: 'UNAUTHORIZED',
    http: 401,
    description:
      'No credential, or a wrong, revoked or expired one (Authorization: Bearer <API key>)',
  },
  FORBIDDEN: {
    trpc: 'FORBIDDEN',
    http: 403,
    description: 'The credential is valid but its role may not do this',
  },
  CSRF_REJECTED: {
    trpc: 'FORBIDDEN',
    http: 403,
    description:
      'A cookie-authenticated write lacks its CSRF token or comes from an untrusted origin',
  },
  INVALID_ACCESS_INPUT: {
    trpc: 'UNPROCESSABLE_CONTENT',
    http: 422,
    description: 'A name, password or role failed validation',
  },
  API_KEY_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404, description: 'The API key does not exist' },
  OPERATOR_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404, description: 'The operator does not exist' },
  USERNAME_TAKEN: { trpc: 'CONFLICT', http: 409, description: 'The username is already taken' },
  ACCESS_UNAVAILABLE: {
    trpc: 'SERVICE_UNAVAILABLE',
    http: 503,
    description: 'The access database is unavailable; retry',
  },
  // ---------------------------------------------------------------- webhooks
  WEBHOOK_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    http: 404,
    description: 'No webhook endpoint has this id (or it was deleted)',
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    http: 404,
    description: 'The webhook endpoint has no delivery with this id',
  },
  WEBHOOK_URL_REFUSED: {
    trpc: 'UNPROCESSABLE_CONTENT',
    http: 422,
    description:
      'The URL names or resolves to an address webhooks may not reach (loopback, private, link-local, unique-local, multicast, unspecified), or does not resolve; nothing was created',
  },
  WEBHOOK_ENDPOINTS_LIMIT: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'The service holds as many webhook endpoints as it may; delete one first',
  },
  WEBHOOKS_UNAVAILABLE: {
    trpc: 'SERVICE_UNAVAILABLE',
    http: 503,
    description: 'The webhook tables cannot be reached right now; retry',
  },
  // ---------------------------------------------------------------- HTTP edge
  MALFORMED_REQUEST: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: `Malformed JSON (a syntax error, a key given twice with different values, nesting deeper than ${JSON_NESTING_DEPTH_MAX} levels, bytes that are not UTF-8) or an unreadable request`,
  },
  INVALID_PATH: {
    trpc: 'BAD_REQUEST',
    http: 400,
    description: 'A malformed id in the path',
  },
  ROUTE_NOT_FOUND: {
    trpc: 'NOT_FOUND',
    http: 404,
    description: 'No route has this method and path',
  },
  PAYLOAD_TOO_LARGE: {
    trpc: 'PAYLOAD_TOO_LARGE',
    http: 413,
    description: `The request body is larger than ${REQUEST_BODY_BYTES_MAX} bytes`,
  },
  // tRPC has no name for 414: over tRPC it is a BAD_REQUEST.
  URI_TOO_LONG: {
    trpc: 'BAD_REQUEST',
    http: 414,
    description: `A path segment longer than ${ROUTE_PARAM_LENGTH_MAX} characters (no wallet id is)`,
  },
  UNSUPPORTED_MEDIA_TYPE: {
    trpc: 'UNSUPPORTED_MEDIA_TYPE',
    http: 415,
    description: 'The request body is not JSON',
  },
  RATE_LIMITED: {
    trpc: 'TOO_MANY_REQUESTS',
    http: 429,
    description: 'Too many requests for this API key or address; Retry-After says when to retry',
  },
  SERVICE_UNAVAILABLE: {
    trpc: 'SERVICE_UNAVAILABLE',
    http: 503,
    description: 'The server is shutting down or cannot reach its database; retry',
  },
  INTERNAL: {
    trpc: 'INTERNAL_SERVER_ERROR',
    http: 500,
    description: 'An unexpected failure; the detail is in the server log, under the request id',
  },
} as const satisfies Record<ErrorCode, ErrorCatalogueEntry>;

/** The codes whose status is `S`: what an error response of that status may carry. */
export type ErrorCodeWithStatus<S extends ErrorHttpStatus> = {
  [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['http'] extends S ? C : never;
}[ErrorCode];

export type HttpStatusOf<C extends ErrorCode> = (typeof ERROR_CATALOGUE)[C]['http'];

/**
 * The error responses of an OpenAPI operation that can fail with `codes`: one per status,
 * its description naming each code it carries and what that code means.
 */
export function describeErrorStatuses<C extends ErrorCode>(
  codes: readonly C[],
): Record<HttpStatusOf<C>, string> {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const { http, description } = ERROR_CATALOGUE[code];
    byStatus.set(http, [...(byStatus.get(http) ?? []), `${code}: ${description}`]);
  }
  const entries = [...byStatus].map(([status, lines]) => [status, lines.join('. ')]);
  return Object.fromEntries(entries) as Record<HttpStatusOf<C>, string>;
}
