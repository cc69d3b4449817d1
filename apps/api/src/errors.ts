import { STATUS_CODES } from 'node:http';

import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { describeIssues, REQUEST_BODY_BYTES_MAX, type RestError } from '@wallet/contract';
import { AccessError, type AccessErrorCode } from '@wallet/access';
import { InvalidInputError, LedgerError, type LedgerErrorCode } from '@wallet/ledger';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
} from 'fastify';
import type { z } from 'zod';

/**
 * Every domain outcome the ledger can report, mapped once to a tRPC code and an HTTP
 * status. `satisfies` makes a code added to the ledger without a mapping a type error.
 */
export const LEDGER_ERROR_STATUS = {
  INVALID_INPUT: { trpc: 'UNPROCESSABLE_CONTENT', http: 422 },
  WALLET_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  INSUFFICIENT_FUNDS: { trpc: 'BAD_REQUEST', http: 400 },
  SAME_WALLET_TRANSFER: { trpc: 'BAD_REQUEST', http: 400 },
  CURRENCY_MISMATCH: { trpc: 'BAD_REQUEST', http: 400 },
  BALANCE_LIMIT_EXCEEDED: { trpc: 'BAD_REQUEST', http: 400 },
  DUPLICATE_IDEMPOTENCY_KEY: { trpc: 'CONFLICT', http: 409 },
  LEDGER_BUSY: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
  LEDGER_UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
} as const satisfies Record<LedgerErrorCode, { trpc: TRPC_ERROR_CODE_KEY; http: number }>;

/** Every access outcome, mapped once the same way; `satisfies` catches a missing one. */
export const ACCESS_ERROR_STATUS = {
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401 },
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  CSRF_REJECTED: { trpc: 'FORBIDDEN', http: 403 },
  INVALID_ACCESS_INPUT: { trpc: 'UNPROCESSABLE_CONTENT', http: 422 },
  API_KEY_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  OPERATOR_NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  USERNAME_TAKEN: { trpc: 'CONFLICT', http: 409 },
  ACCESS_UNAVAILABLE: { trpc: 'SERVICE_UNAVAILABLE', http: 503 },
} as const satisfies Record<AccessErrorCode, { trpc: TRPC_ERROR_CODE_KEY; http: number }>;

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

export function trpcErrorFrom(error: LedgerError | AccessError | RateLimitedError): TRPCError {
  return new TRPCError({
    code:
      error instanceof LedgerError
        ? LEDGER_ERROR_STATUS[error.code].trpc
        : error instanceof AccessError
          ? ACCESS_ERROR_STATUS[error.code].trpc
          : 'TOO_MANY_REQUESTS',
    message: error.message,
    cause: error,
  });
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

export function restErrorBody(statusCode: number, path: string, message: string): RestError {
  return {
    statusCode,
    timestamp: new Date().toISOString(),
    path,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
  };
}

/** Every REST failure in the documented shape; a 500 says nothing but that it happened. */
export function registerRestErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { statusCode, message } = describeRequestFailure(error);
    if (statusCode === 500) {
      request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    }
    return reply.code(statusCode).send(restErrorBody(statusCode, request.url, message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(restErrorBody(404, request.url, `Route ${request.method} ${request.url} not found`)),
  );
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
  const { statusCode, message } = describeRequestFailure(error);
  void reply.code(statusCode).send(restErrorBody(statusCode, request.url, message));
}

/**
 * The status and the message a client may see for a failed request, whichever edge
 * (REST or tRPC's transport) answers it.
 */
export function describeRequestFailure(error: unknown): { statusCode: number; message: string } {
  // A malformed id in the path names no resource at all: 400, as documented; a bad body
  // or query is well-formed HTTP with wrong values: 422.
  if (error instanceof RequestValidationError) {
    return { statusCode: error.part === 'params' ? 400 : 422, message: error.message };
  }
  if (error instanceof LedgerError) {
    return { statusCode: LEDGER_ERROR_STATUS[error.code].http, message: error.message };
  }
  if (error instanceof AccessError) {
    return { statusCode: ACCESS_ERROR_STATUS[error.code].http, message: error.message };
  }
  if (error instanceof RateLimitedError) return { statusCode: 429, message: error.message };
  if (error instanceof ClientGoneError) return { statusCode: 400, message: error.message };
  if (error instanceof MalformedJsonError) return { statusCode: 400, message: error.message };
  const fastifyFailure = fastifyClientFailure(error);
  if (fastifyFailure) return fastifyFailure;
  return { statusCode: 500, message: INTERNAL_ERROR_MESSAGE };
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
function fastifyClientFailure(error: unknown): { statusCode: number; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  return { statusCode, message: FASTIFY_MESSAGES[code] ?? error.message };
}
