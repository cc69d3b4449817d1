import {
  getTRPCErrorFromUnknown,
  initTRPC,
  TRPCError,
  type TRPCCombinedDataTransformer,
} from '@trpc/server';
import { JSON_NESTING_DEPTH_MAX } from '@wallet/contract';
import { AccessError, type Access } from '@wallet/access';
import type { WriteContext } from '@wallet/db';
import type { Ledger } from '@wallet/ledger';
import { LedgerError } from '@wallet/ledger';
import superjson, { type SuperJSONResult } from 'superjson';
import { z } from 'zod';

import { isDevelopment } from '../env';
import {
  INTERNAL_ERROR_MESSAGE,
  invalidInputFrom,
  RateLimitedError,
  trpcErrorFrom,
} from '../errors';
import { sessionCookie, type SessionCookieOptions } from '../security/cookies';
import { authorizeAudited, writeContextFor, type AuthState } from '../security/guard';
import { DEFAULT_SECURITY } from '../security/settings';
import { serializeOutput } from './output-serializer';
import type { Operation } from '../security/operations';

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
  /** Aborts when the server begins to close: long-lived streams (events.live) end then. */
  closing?: AbortSignal;
}

/** For contexts made without the HTTP edge (createCaller): the env schema's defaults. */
const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  cookie: { secure: DEFAULT_SECURITY.cookieSecure },
  ttlMs: DEFAULT_SECURITY.sessionTtlMs,
  trustedOrigins: DEFAULT_SECURITY.trustedOrigins,
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
    closing: deps.closing,
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
  // Only serialize runs here (outputs); deserialize is the client's, superjson's own.
  output: { serialize: serializeOutput, deserialize: superjson.deserialize.bind(superjson) },
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

/** How often a quiet event stream sends a ping comment. */
export const SSE_PING_MS = 10_000;

const t = initTRPC
  .context<Context>()
  .meta<{ operation: Operation }>()
  .create({
    transformer,
    isDev: isDevelopment,
    // Subscriptions (events.live) over server-sent events: a ping comment keeps proxies
    // from closing a quiet stream, and a client that hears nothing (not even the ping) for
    // longer reconnects by itself, resuming from its last event (lastEventId).
    sse: {
      ping: { enabled: true, intervalMs: SSE_PING_MS },
      client: { reconnectAfterInactivityMs: SSE_PING_MS * 3 },
    },
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
 * A ledger error becomes its tRPC code by the one table, and a zod input failure becomes
 * INVALID_INPUT (UNPROCESSABLE_CONTENT) with the same message REST gives, instead of
 * tRPC's BAD_REQUEST with zod's JSON.
 */
function toDomainError(error: TRPCError): TRPCError {
  const { cause } = error;
  if (cause instanceof LedgerError || cause instanceof AccessError) return trpcErrorFrom(cause);
  if (cause instanceof RateLimitedError) return trpcErrorFrom(cause);
  if (cause instanceof z.ZodError) return trpcErrorFrom(invalidInputFrom(cause));
  return error;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The operation authorized for the caller: the role it needs comes from the one table
 * (security/operations.ts), checked with the same function REST uses, and a
 * cookie-authenticated mutation must carry the session's CSRF token. Returns the
 * principal and the write context its audit rows need.
 */
async function authorize(ctx: Context, operation: Operation, type: string) {
  const facts = {
    isWrite: type === 'mutation',
    csrfToken: ctx.http?.csrfToken,
    origin: ctx.http?.origin,
    requestId: ctx.requestId,
  };
  try {
    await authorizeAudited(ctx.access, operation, ctx.auth, facts, ctx.session.trustedOrigins);
  } catch (cause) {
    throw toDomainError(getTRPCErrorFromUnknown(cause));
  }
  const principal = ctx.auth.principal;
  const write: WriteContext = writeContextFor(principal, ctx.requestId);
  return { principal, write };
}

/**
 * Every procedure is built here, naming its operation, with one middleware around input
 * parsing and the resolver: authorization, then the error mapping of what follows. (One,
 * not three: tRPC copies the call's options and context at every middleware, which
 * was a tenth of a tRPC write's CPU.)
 */
export function procedureFor(operation: Operation) {
  return t.procedure.meta({ operation }).use(async ({ ctx, type, next }) => {
    const result = await next({ ctx: await authorize(ctx, operation, type) });
    if (result.ok) return result;
    throw toDomainError(result.error);
  });
}

/** A procedure that needs a credential: the principal is there. */
export function signedInProcedureFor(operation: Operation) {
  return t.procedure.meta({ operation }).use(async ({ ctx, type, next }) => {
    const { principal, write } = await authorize(ctx, operation, type);
    if (!principal) throw new TRPCError({ code: 'UNAUTHORIZED' });
    const result = await next({ ctx: { principal, write } });
    if (result.ok) return result;
    throw toDomainError(result.error);
  });
}

export { sessionCookie };
