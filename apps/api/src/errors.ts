import { STATUS_CODES } from 'node:http';

import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import {
  describeIssues,
  ERROR_CATALOGUE,
  fieldIssuesOf,
  REQUEST_BODY_BYTES_MAX,
  type restKeyConflict,
  type ErrorCode,
  type ErrorCodeWithStatus,
  type RestError,
} from '@wallet/contract';
import { AccessError } from '@wallet/access';
import { InvalidInputError, LedgerError } from '@wallet/ledger';
import { WebhookError } from '@wallet/webhooks';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
} from 'fastify';
import type { z } from 'zod';

/**
 * A code's tRPC code, by the contract's one catalogue. Returning TRPC_ERROR_CODE_KEY is
 * the check that every tRPC code the catalogue spells is one tRPC knows.
 */
export function trpcCodeOf(code: ErrorCode): TRPC_ERROR_CODE_KEY {
  return ERROR_CATALOGUE[code].trpc;
}

/** Too many requests in the window: 429 with Retry-After (seconds). */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Rate limit exceeded: retry in ${retryAfterSeconds} s`);
  }
}

/** The client closed the connection before its request was read; nobody sees the answer. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('The client closed the connection before the request was read');
  }
}

/** All a client ever learns of a failure it did not cause; the detail goes to the log. */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** A zod failure told in the ledger's terms, so tRPC and REST describe bad input alike. */
export function invalidInputFrom(error: z.ZodError): InvalidInputError {
  return new InvalidInputError(describeIssues(error));
}

export function trpcErrorFrom(
  error: LedgerError | AccessError | WebhookError | RateLimitedError,
): TRPCError {
  const code = error instanceof RateLimitedError ? 'RATE_LIMITED' : error.code;
  return new TRPCError({ code: trpcCodeOf(code), message: error.message, cause: error });
}

// ---------------------------------------------------------------- REST

/** A request part failed its schema; `part` is Fastify's name for it (body, params, querystring). */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(
    readonly part: string,
    readonly issues: z.ZodError,
  ) {
    super(describeIssues(issues));
  }
}

/** The body is not JSON at all: the client's syntax, not its values, is wrong. */
export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  constructor(reason: string) {
    super(`Malformed JSON in request body: ${reason}`);
  }
}

/**
 * Fastify's validator compiler for the zod schemas. It keeps the ZodError whole (the type
 * provider's own compiler flattens it), so the message is `describeIssues`, word for
 * word what tRPC says for the same input.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(httpPart ?? 'body', result.error) };
  };

/** A failed request as a client may see it: the status always the catalogue's for the code. */
export interface RequestFailure {
  statusCode: number;
  code: ErrorCode;
  message: string;
  /** Facts a program may act on; absent when there are none. */
  details?: Record<string, unknown>;
  /** Top-level fields of the REST body beside the documented ones (a used key's 409). */
  fields?: KeyConflictFields;
}

function failure(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  const withDetails = details && Object.keys(details).length > 0 ? { details } : {};
  return { statusCode: ERROR_CATALOGUE[code].http, code, message, ...withDetails };
}

/** The fields a used idempotency key's 409 adds to the documented shape (restKeyConflict). */
type KeyConflictFields = Pick<
  z.infer<typeof restKeyConflict>,
  'original_transaction_id' | 'wallet_id' | 'hold_id' | 'same_request'
>;

/**
 * A used key's 409 carries, as fields, what the key made and whether this request is the
 * one that made it; read from the error's details, so every edge tells the same facts.
 */
function keyConflictFieldsOf(error: LedgerError): KeyConflictFields | undefined {
  if (error.code !== 'DUPLICATE_IDEMPOTENCY_KEY') return undefined;
  const { originalTransactionId, walletId, holdId, sameRequest } = error.details;
  return {
    ...(typeof holdId === 'string' ? { hold_id: holdId } : {}),
    ...(typeof originalTransactionId === 'string'
      ? { original_transaction_id: originalTransactionId }
      : {}),
    ...(typeof walletId === 'string' ? { wallet_id: walletId } : {}),
    same_request: sameRequest === true,
  };
}

/** A REST write's Idempotency-Key header and its body's idempotencyKey disagree. */
export class IdempotencyKeyMismatchError extends Error {
  override readonly name = 'IdempotencyKeyMismatchError';
  constructor() {
    super(
      'The Idempotency-Key header and the body field idempotencyKey differ: send one of them, or the same key in both',
    );
  }
}

/**
 * The code of a status Fastify answers for itself (its FST_ errors have only these), and
 * of the bodies sent without a code in hand (the 503 of a closing server or a failed
 * health check). The type checks that each code has the status it stands for.
 */
const CODE_OF_STATUS = {
  400: 'MALFORMED_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  500: 'INTERNAL',
  503: 'SERVICE_UNAVAILABLE',
} as const satisfies { [S in 400 | 404 | 413 | 414 | 415 | 500 | 503]: ErrorCodeWithStatus<S> };

function codeOfStatus(statusCode: number): ErrorCode | undefined {
  return (CODE_OF_STATUS as Partial<Record<number, ErrorCode>>)[statusCode];
}

/**
 * The documented shape {statusCode, timestamp, path, error, message}, then `code` and,
 * when there are any, `details`: additions a program reads instead of the message.
 */
export function restErrorBody(
  statusCode: number,
  path: string,
  message: string,
  code: ErrorCode = codeOfStatus(statusCode) ?? 'INTERNAL',
  details?: Record<string, unknown>,
  fields?: KeyConflictFields,
): RestError {
  return {
    statusCode,
    timestamp: new Date().toISOString(),
    path,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    code,
    ...(details ? { details } : {}),
    ...fields,
  };
}

function restErrorBodyOf(failed: RequestFailure, path: string): RestError {
  const { statusCode, message, code, details, fields } = failed;
  return restErrorBody(statusCode, path, message, code, details, fields);
}

/** Every REST failure in the documented shape; a 500 says nothing but that it happened. */
export function registerRestErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const failed = describeRequestFailure(error);
    if (failed.statusCode === 500) {
      request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    }
    return reply.code(failed.statusCode).send(restErrorBodyOf(failed, request.url));
  });
  app.setNotFoundHandler((request, reply) => {
    const message = `Route ${request.method} ${request.url} not found`;
    return reply.code(404).send(restErrorBodyOf(failure('ROUTE_NOT_FOUND', message), request.url));
  });
}

/**
 * Fastify's `frameworkErrors` option: the router's own refusals (a path segment longer
 * than its limit, a malformed %-escape in the URL), which Fastify would otherwise answer
 * in a shape of its own, before any route or error handler is involved.
 */
export function sendFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const failed = describeRequestFailure(error);
  void reply.code(failed.statusCode).send(restErrorBodyOf(failed, request.url));
}

/**
 * The status, code and message a client may see for a failed request, whichever edge
 * (REST or tRPC's transport) answers it.
 */
export function describeRequestFailure(error: unknown): RequestFailure {
  // A malformed id in the path names no resource at all: 400, as documented; a bad body
  // or query is well-formed HTTP with wrong values: 422.
  if (error instanceof RequestValidationError) {
    const issues = { issues: fieldIssuesOf(error.issues) };
    if (error.part === 'params') return failure('INVALID_PATH', error.message, issues);
    return failure('INVALID_INPUT', error.message, issues);
  }
  if (error instanceof LedgerError) {
    const fields = keyConflictFieldsOf(error);
    return { ...failure(error.code, error.message, error.details), ...(fields && { fields }) };
  }
  if (error instanceof IdempotencyKeyMismatchError) {
    const issues = [{ field: 'Idempotency-Key', message: error.message }];
    return failure('INVALID_INPUT', error.message, { issues });
  }
  if (error instanceof AccessError) return failure(error.code, error.message);
  if (error instanceof WebhookError) return failure(error.code, error.message);
  if (error instanceof RateLimitedError) return failure('RATE_LIMITED', error.message);
  if (error instanceof ClientGoneError) return failure('MALFORMED_REQUEST', error.message);
  if (error instanceof MalformedJsonError) return failure('MALFORMED_REQUEST', error.message);
  return fastifyClientFailure(error) ?? failure('INTERNAL', INTERNAL_ERROR_MESSAGE);
}

/**
 * Where Fastify's own message does not name the limit it enforces, one that does, by
 * Fastify's error code.
 */
const FASTIFY_MESSAGES: Partial<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: `Request body is too large: at most ${REQUEST_BODY_BYTES_MAX} bytes are read`,
};

/**
 * Fastify's own request errors (body too large, unsupported media type, bad
 * Content-Length…) carry a 4xx status and a message fit for the client. Only errors
 * with Fastify's `FST_` codes are trusted so: any other error might hold internals.
 */
function fastifyClientFailure(error: unknown): RequestFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  const message = FASTIFY_MESSAGES[code] ?? error.message;
  // A 4xx of Fastify's that the table does not know is a request it could not read: a
  // 400, so that the code and the status always agree.
  return failure(codeOfStatus(statusCode) ?? 'MALFORMED_REQUEST', message);
}
