import rateLimit from '@fastify/rate-limit';
import {
  AccessError,
  actorOf,
  CsrfRejectedError,
  ForbiddenError,
  idempotencyOwnerOf,
  UnauthenticatedError,
  type Access,
  type Principal,
  type RateLimitCounter,
} from '@wallet/access';
import { roleAllows } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';

import { ClientGoneError, RateLimitedError } from '../errors';
import { sessionTokenFrom, type SessionCookieOptions } from './cookies';
import { OPERATION_ROLES, type Operation } from './operations';
import { sharedRateLimitStore } from './rate-limit-store';

export interface RateLimitOptions {
  /** Requests per window for each API key or signed-in operator. */
  perKey: number;
  /** Requests per window for each client address without a valid credential. */
  perAddress: number;
  /** Sign-in attempts per window, for each address and for each username. */
  signIn: number;
  windowMs: number;
}

export interface SecurityOptions {
  access: Access;
  rateLimit: RateLimitOptions;
  /** Shared counters (every API process); in this process's memory when absent. */
  rateLimitCounter?: RateLimitCounter;
  /** Origins whose pages may send cookie-authenticated writes (the dashboard's). */
  trustedOrigins: readonly string[];
  cookie: SessionCookieOptions;
  sessionTtlMs: number;
}

export interface AuthState {
  principal?: Principal;
  /** A credential was sent and refused: the 401 to give if the operation needs one. */
  error?: AccessError;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthState;
  }
}

export const CSRF_HEADER = 'x-csrf-token';

/** Routes under this prefix are authorised per procedure, by the tRPC middleware. */
const TRPC_PREFIX = '/trpc/';

/** Whether `operation` may go ahead for `auth`; throws the 401, 403 or CSRF refusal otherwise. */
export function authorize(
  operation: Operation,
  auth: AuthState,
  request: { isWrite: boolean; csrfToken?: string; origin?: string },
  trustedOrigins: readonly string[],
): void {
  const needed = OPERATION_ROLES[operation];
  const { principal } = auth;
  // A browser's write from a page of another origin is refused, signed in or not.
  const fromBrowser = principal?.kind === 'user' || operation === 'auth.signIn';
  if (request.isWrite && fromBrowser && request.origin !== undefined) {
    if (!trustedOrigins.includes(request.origin)) {
      throw new CsrfRejectedError(`Requests from the origin ${request.origin} are not accepted`);
    }
  }
  if (needed === 'public') return;
  if (auth.error) throw auth.error;
  if (!principal) throw new UnauthenticatedError();
  if (needed !== 'signed-in' && !roleAllows(principal.role, needed)) {
    throw new ForbiddenError(principal.role, needed);
  }
  if (request.isWrite && principal.kind === 'user') {
    const sent = request.csrfToken ?? '';
    const expected = Buffer.from(principal.csrfToken);
    const given = Buffer.from(sent);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new CsrfRejectedError(
        `Missing or wrong ${CSRF_HEADER} header: cookie-authenticated writes must send the session's CSRF token`,
      );
    }
  }
}

/**
 * authorize(), and for a write refused to a known principal (its role, or CSRF) an audit
 * row with the outcome `denied`: who tried to do what they may not is worth knowing.
 */
export async function authorizeAudited(
  access: Access,
  operation: Operation,
  auth: AuthState,
  request: { isWrite: boolean; csrfToken?: string; origin?: string; requestId?: string },
  trustedOrigins: readonly string[],
): Promise<void> {
  try {
    authorize(operation, auth, request, trustedOrigins);
  } catch (error) {
    const principal = auth.principal;
    if (request.isWrite && principal && error instanceof AccessError) {
      // Best effort: the refusal stands even if its record cannot be written.
      await access
        .recordAudit([
          {
            actor: actorOf(principal),
            action: operation,
            outcome: 'denied',
            requestId: request.requestId,
            details: { code: error.code },
          },
        ])
        .catch(() => undefined);
    }
    throw error;
  }
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function requestFacts(request: FastifyRequest, isWrite: boolean) {
  return {
    isWrite,
    csrfToken: headerOf(request, CSRF_HEADER),
    origin: headerOf(request, 'origin'),
  };
}

/** The credential of a request: a Bearer API key, else the session cookie, else none. */
async function authenticate(access: Access, request: FastifyRequest): Promise<AuthState> {
  try {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer ([\x21-\x7e]{1,200})$/i.exec(authorization);
      if (!match?.[1]) {
        throw new UnauthenticatedError('The Authorization header must be "Bearer <API key>"');
      }
      return { principal: await access.authenticateApiKey(match[1]) };
    }
    const token = sessionTokenFrom(request.headers.cookie);
    if (token !== undefined) return { principal: await access.authenticateSession(token) };
    return {};
  } catch (error) {
    if (error instanceof AccessError) return { error };
    throw error;
  }
}

/** A function, not a property read, so the check is repeated after each wait. */
function clientGone(request: FastifyRequest): boolean {
  return request.raw.destroyed;
}

function operationOf(request: FastifyRequest): Operation | 'trpc' | undefined {
  const url = request.routeOptions.url;
  if (url === undefined) return undefined; // no route: the 404 handler answers
  if (url.startsWith(TRPC_PREFIX)) return 'trpc';
  return request.routeOptions.config.operation;
}

/** What the rate limiter counts a request against: its credential, else its address. */
function limitKeyOf(request: FastifyRequest): string {
  const principal = request.auth.principal;
  return principal ? actorOf(principal) : `address:${request.ip}`;
}

function refuseOverLimit(reply: FastifyReply, ttlMs: number): never {
  const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
  void reply.header('retry-after', String(retryAfterSeconds));
  throw new RateLimitedError(retryAfterSeconds);
}

export type SignInLimiter = (
  request: FastifyRequest,
  reply: FastifyReply,
  username: string,
) => Promise<void>;

/**
 * Authentication, rate limits and, for REST, authorisation, in one onRequest hook of the
 * root instance, registered before any route. Every route must name its operation: one
 * without (a route added and forgotten) is refused with a 403 — fail closed. Counters
 * are shared by every API process through PostgreSQL when a counter is given (main.ts
 * does), else in this process's memory (@fastify/rate-limit's default store).
 */
export async function registerGuard(
  app: FastifyInstance,
  options: SecurityOptions,
): Promise<SignInLimiter> {
  const { access, trustedOrigins } = options;
  const limits = options.rateLimit;
  await app.register(rateLimit, {
    global: false,
    timeWindow: limits.windowMs,
    ...(options.rateLimitCounter
      ? {
          store: sharedRateLimitStore(options.rateLimitCounter),
          // The counters live in the database: when it cannot answer, neither can the
          // ledger or sign-in, which then refuse on their own (503), not with a 500 here.
          skipOnError: true,
        }
      : {}),
  });
  const checkGeneral = app.createRateLimit({
    keyGenerator: limitKeyOf,
    max: (request) => (request.auth.principal ? limits.perKey : limits.perAddress),
    timeWindow: limits.windowMs,
  });
  const usernames = new WeakMap<FastifyRequest, string>();
  const checkSignInAddress = app.createRateLimit({
    keyGenerator: (request) => `sign-in-address:${request.ip}`,
    max: limits.signIn,
    timeWindow: limits.windowMs,
  });
  const checkSignInUser = app.createRateLimit({
    keyGenerator: (request) => `sign-in-user:${usernames.get(request) ?? ''}`,
    max: limits.signIn,
    timeWindow: limits.windowMs,
  });

  app.decorateRequest('auth', null as unknown as AuthState);
  app.addHook('onRequest', async (request, reply) => {
    request.auth = {};
    if (request.method === 'OPTIONS') return; // CORS preflights carry no credential
    const operation = operationOf(request);
    if (operation !== undefined && operation !== 'trpc') {
      if (OPERATION_ROLES[operation] === 'public') return;
    }
    request.auth = await authenticate(access, request);
    // While this hook waited (a key's first check reads the database), the client may have
    // given up. Fastify would then wait forever for the body of an aborted request, and
    // close() with it: end the request here instead.
    if (clientGone(request)) throw new ClientGoneError();
    const limit = await checkGeneral(request);
    if (!limit.isAllowed && limit.isExceeded) refuseOverLimit(reply, limit.ttl);
    if (operation === 'trpc') return; // per procedure, in the tRPC middleware
    if (operation === undefined) {
      if (request.routeOptions.url === undefined) return; // the 404 handler answers
      // A route added without naming its operation: a bug, refused rather than let through.
      throw new Error(`route ${request.routeOptions.url} names no operation`);
    }
    const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    const facts = { ...requestFacts(request, isWrite), requestId: request.id };
    await authorizeAudited(access, operation, request.auth, facts, trustedOrigins);
    if (clientGone(request)) throw new ClientGoneError();
  });

  return async (request, reply, username) => {
    usernames.set(request, username);
    for (const check of [checkSignInAddress, checkSignInUser]) {
      const limit = await check(request);
      if (!limit.isAllowed && limit.isExceeded) refuseOverLimit(reply, limit.ttl);
    }
  };
}

/** Who asked, for the audit rows of a REST write (the guard has authorised it). */
export function writeContextOf(request: FastifyRequest): WriteContext {
  return writeContextFor(request.auth.principal, request.id);
}

/**
 * Who writes, for the audit log (actor), and whose idempotency keys the write's key is
 * among (owner): both the authenticated principal, on either transport.
 */
export function writeContextFor(
  principal: Principal | undefined,
  requestId?: string,
): WriteContext {
  return principal
    ? { actor: actorOf(principal), owner: idempotencyOwnerOf(principal), requestId }
    : { actor: 'anonymous', requestId };
}
