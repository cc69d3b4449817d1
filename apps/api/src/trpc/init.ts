import {
  getTRPCErrorShape,
  initTRPC,
  transformTRPCResponse,
  TRPCError,
  type TRPCCombinedDataTransformer,
} from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { JSON_NESTING_DEPTH_MAX } from '@wallet/contract';
import { AccessError, actorOf, type Access } from '@wallet/access';
import type { WriteContext } from '@wallet/db';
import type { Ledger } from '@wallet/ledger';
import { LedgerError } from '@wallet/ledger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import superjson, { type SuperJSONResult } from 'superjson';
import { z } from 'zod';

import { isDevelopment } from '../env';
import {
  describeRequestFailure,
  INTERNAL_ERROR_MESSAGE,
  invalidInputFrom,
  RateLimitedError,
  trpcCodeOf,
  trpcErrorFrom,
} from '../errors';
import { sessionCookie, type SessionCookieOptions } from '../security/cookies';
import { authorizeAudited, type AuthState } from '../security/guard';
import type { Operation } from '../security/operations';
import { refuseJsonThatIsNotUtf8, silentResolutionIn } from '../rest/json-body';

/** What the HTTP edge adds to a procedure's context: headers it checks, cookies it sets. */
export interface HttpEdge {
  csrfToken?: string;
  origin?: string;
  setCookie(value: string): void;
  /** Counts a sign-in attempt for the address and the username; throws past the limit. */
  limitSignIn(username: string): Promise<void>;
}

export interface SessionSettings {
  cookie: SessionCookieOptions;
  ttlMs: number;
  trustedOrigins: readonly string[];
}

export interface ContextDeps {
  ledger: Ledger;
  access: Access;
  /** The request's credential, as the HTTP edge authenticated it; none when absent. */
  auth?: AuthState;
  requestId?: string;
  http?: HttpEdge;
  session?: SessionSettings;
}

const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  cookie: { secure: true },
  ttlMs: 8 * 60 * 60 * 1000,
  trustedOrigins: [],
};

/** What every procedure may use. No request in it, so tests and server code call procedures directly. */
export function createContextInner(deps: ContextDeps) {
  return {
    ledger: deps.ledger,
    access: deps.access,
    auth: deps.auth ?? {},
    requestId: deps.requestId,
    http: deps.http,
    session: deps.session ?? DEFAULT_SESSION_SETTINGS,
  };
}

export type Context = ReturnType<typeof createContextInner>;

/**
 * superjson, with a check of the input before superjson walks it. Its deserializer
 * recurses through the value, so a body nested thousands deep would overflow the stack
 * (tRPC would pass on the RangeError as a 400 saying "Maximum call stack size
 * exceeded"); and anything but an object (`null`) would fail inside it with a TypeError's
 * words. Both are refused here first, in plain terms.
 */
const transformer = {
  input: {
    serialize: (value: unknown) => superjson.serialize(value),
    deserialize: (payload: unknown): unknown => {
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'Input must be a superjson object: { "json": …, "meta": … }',
        });
      }
      if (nestedDeeperThan(payload, JSON_NESTING_DEPTH_MAX)) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `Input is nested deeper than ${JSON_NESTING_DEPTH_MAX} levels`,
        });
      }
      return superjson.deserialize(payload as SuperJSONResult);
    },
  },
  output: superjson,
} satisfies TRPCCombinedDataTransformer;

/** Whether arrays and objects nest deeper than `depthMax` in a parsed JSON value; no recursion. */
export function nestedDeeperThan(value: unknown, depthMax: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > depthMax) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

const t = initTRPC
  .context<Context>()
  .meta<{ operation: Operation }>()
  .create({
    transformer,
    isDev: isDevelopment,
    errorFormatter({ shape, error }) {
      return {
        ...shape,
        // A tRPC INTERNAL_SERVER_ERROR carries its cause's message, which for a database
        // error holds SQL and parameters: clients get a fixed sentence, the log the rest.
        message: error.code === 'INTERNAL_SERVER_ERROR' ? INTERNAL_ERROR_MESSAGE : shape.message,
        data: {
          ...shape.data,
          ledgerCode: error.cause instanceof LedgerError ? error.cause.code : null,
          // The facts behind it (the original transaction of a used key, the amounts of an
          // overdraft), so a typed client can act without parsing the message.
          ledgerDetails: error.cause instanceof LedgerError ? error.cause.details : null,
          accessCode: error.cause instanceof AccessError ? error.cause.code : null,
        },
      };
    },
  });

/**
 * Runs around input parsing and the resolver: a ledger error becomes its tRPC code by the
 * one table, and a zod input failure becomes INVALID_INPUT (UNPROCESSABLE_CONTENT) with the
 * same message REST gives, instead of tRPC's BAD_REQUEST with zod's JSON.
 */
const ledgerErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  throw toDomainError(result.error);
});

function toDomainError(error: TRPCError): TRPCError {
  const { cause } = error;
  if (cause instanceof LedgerError || cause instanceof AccessError) return trpcErrorFrom(cause);
  if (cause instanceof RateLimitedError) return trpcErrorFrom(cause);
  if (cause instanceof z.ZodError) return trpcErrorFrom(invalidInputFrom(cause));
  return error;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The base of every procedure: nothing is public without the error mapping. */
const ledgerProcedure = t.procedure.use(ledgerErrors);

/**
 * Every procedure is built here, naming its operation: the role it needs comes from the
 * one table (security/operations.ts), checked with the same function REST uses, and a
 * cookie-authenticated mutation must carry the session's CSRF token. The resolver gets
 * the principal and the write context its audit rows need.
 */
export function procedureFor(operation: Operation) {
  return ledgerProcedure.meta({ operation }).use(async ({ ctx, type, next }) => {
    const facts = {
      isWrite: type === 'mutation',
      csrfToken: ctx.http?.csrfToken,
      origin: ctx.http?.origin,
      requestId: ctx.requestId,
    };
    await authorizeAudited(ctx.access, operation, ctx.auth, facts, ctx.session.trustedOrigins);
    const principal = ctx.auth.principal;
    const write: WriteContext = {
      actor: principal ? actorOf(principal) : 'anonymous',
      requestId: ctx.requestId,
    };
    return next({ ctx: { principal, write } });
  });
}

/** A procedure that needs a credential: the principal is there. */
export function signedInProcedureFor(operation: Operation) {
  return procedureFor(operation).use(({ ctx, next }) => {
    if (!ctx.principal) throw new TRPCError({ code: 'UNAUTHORIZED' });
    return next({ ctx: { principal: ctx.principal } });
  });
}

export { sessionCookie };

/**
 * The HTTP edge around the tRPC plugin, for the Fastify scope that holds it:
 *
 * - What Fastify refuses before tRPC runs (a body too large, not JSON, not UTF-8) is told
 *   in tRPC's own error shape, so a tRPC client reads it as it reads any other error
 *   (the REST shape would reach it as "Unable to transform response from server").
 * - The adapter hands tRPC the procedure path Fastify has already decoded, and tRPC
 *   decodes it once more: a path whose decoded text still holds a bad %-escape
 *   (`/trpc/%25zz`) threw a URIError inside tRPC, which reports any error it does not
 *   know as a 500. Such a path is malformed: a 400, before tRPC sees it.
 * - tRPC reads its input with `JSON.parse`, which rounds a number no double holds
 *   (`{"amount": 0.1000000000000000001}` funded 0.10) and lets the last of a key given
 *   twice win (`{"amount": "1", "amount": "900"}` funded 900): input that silently
 *   changed, which the REST edge's lossless parser refuses. So does this edge, with the
 *   same statuses: 400 for the key, 422 for the number (tRPC's own client sends
 *   neither).
 */
export function registerTrpcTransport(scope: FastifyInstance): void {
  refuseJsonThatIsNotUtf8(scope);
  scope.setErrorHandler((error, request, reply) => {
    const { statusCode, code, message } = describeRequestFailure(error);
    if (statusCode === 500) {
      request.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
    }
    return sendTrpcError(request, reply, trpcCodeOf(code), message);
  });
  scope.addHook('onRequest', async (request, reply) => {
    const path = procedurePathOf(request);
    if (path === undefined || isDecodable(path)) return;
    return sendTrpcError(request, reply, 'BAD_REQUEST', 'Malformed procedure path: a bad %-escape');
  });
  scope.addHook('preHandler', async (request, reply) => {
    const { input } = request.query as { input?: unknown };
    for (const text of [request.body, input].flat()) {
      const found = typeof text === 'string' ? silentResolutionIn(text) : undefined;
      if (found?.kind === 'duplicate key') {
        const message = `Malformed JSON: the key '${found.key}' is given twice with different values`;
        return sendTrpcError(request, reply, 'BAD_REQUEST', message);
      }
      if (found?.kind === 'inexact number') {
        const message = `The input holds the number ${found.number}, which a double cannot carry exactly: send amounts as decimal text ("100.50")`;
        return sendTrpcError(request, reply, 'UNPROCESSABLE_CONTENT', message);
      }
    }
  });
}

/** Fastify's `frameworkErrors` (a path segment too long, a bad %-escape) for a URL under /trpc. */
export function sendTrpcFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { code, message } = describeRequestFailure(error);
  void sendTrpcError(request, reply, trpcCodeOf(code), message);
}

/** The adapter's `:path` parameter; none before routing (Fastify's frameworkErrors). */
function procedurePathOf(request: FastifyRequest): string | undefined {
  const params = request.params as { path?: unknown } | null;
  return typeof params?.path === 'string' ? params.path : undefined;
}

function isDecodable(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

function sendTrpcError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: TRPC_ERROR_CODE_KEY,
  message: string,
): FastifyReply {
  const shape = getTRPCErrorShape({
    config: t._config,
    error: new TRPCError({ code, message }),
    type: 'unknown',
    path: procedurePathOf(request),
    input: undefined,
    ctx: undefined,
  });
  return reply.code(shape.data.httpStatus).send(transformTRPCResponse(t._config, { error: shape }));
}
