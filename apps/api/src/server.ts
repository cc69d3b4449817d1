import { IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';

import cors from '@fastify/cors';
import helmet from 'helmet';
import fastifySwagger from '@fastify/swagger';
import { REQUEST_BODY_BYTES_MAX, ROUTE_PARAM_LENGTH_MAX } from '@wallet/contract';
import type { Access, RateLimitCounter } from '@wallet/access';
import type { MigrationStatus } from '@wallet/db';
import type { Ledger } from '@wallet/ledger';
import type { Webhooks } from '@wallet/webhooks';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';

import {
  registerRestErrorHandlers,
  restErrorBody,
  sendFrameworkError,
  zodValidatorCompiler,
} from './errors';
import {
  createMetrics,
  measureRequests,
  meteredLedger,
  type Metrics,
} from './observability/metrics';
import { apiEnvSchema } from './env';
import { logRequests } from './observability/logging';
import { echoRequestId, requestIdOf } from './observability/request-id';
import { eventRoutes } from './rest/events';
import { healthRoutes } from './rest/health';
import { holdRoutes } from './rest/holds';
import { registerJsonBodyParser } from './rest/json-body';
import { transactionRoutes } from './rest/transactions';
import { statementRoutes } from './rest/statements';
import { walletRoutes } from './rest/wallets';
import { webhookRoutes } from './rest/webhooks';
import { CSRF_HEADER, registerGuard } from './security/guard';
import { createContextInner, WEBHOOKS_ABSENT } from './trpc/init';
import { DEFAULT_SECURITY, type SecuritySettings } from './security/settings';
import { registerTrpcTransport, sendTrpcFrameworkError } from './trpc/transport';

export const TRPC_PREFIX = '/trpc';
export const OPENAPI_PATH = '/openapi.json';

export const METRICS_PATH = '/metrics';

export type { SecuritySettings };

export interface BuildServerOptions {
  ledger: Ledger;
  access: Access;
  /** For /readyz: the committed migrations this database lacks. */
  readMigrationStatus: () => Promise<MigrationStatus>;
  security?: Partial<SecuritySettings>;
  /** The pool's size, shown in /metrics. */
  poolMax?: number;
  /** Made by the caller when the ledger reports into them too (ledgerObserverOf). */
  metrics?: Metrics;
  /**
   * Rate-limit counters shared by every API process (in PostgreSQL); without one, this
   * process counts alone, in memory.
   */
  rateLimitCounter?: RateLimitCounter;
  /** Fastify's logger (pino); silent when absent. */
  logger?: FastifyBaseLogger;
  /** A request slower than this is logged (warn); 0 logs none. */
  slowRequestMs?: number;
  /** False sends every tRPC call through tRPC's own adapter (the test comparing both paths). */
  directTrpcCalls?: boolean;
  /** Webhook endpoints and deliveries (admin API); without them, those routes answer 503. */
  webhooks?: Webhooks;
}

/** For servers built without main.ts (tests): the env schema's default, defined there alone. */
const SLOW_REQUEST_MS_DEFAULT = apiEnvSchema.shape.LOG_SLOW_REQUEST_MS.parse(undefined);

/**
 * The whole HTTP surface: REST at /wallets, tRPC at /trpc, the OpenAPI document and the
 * health check. It never listens: main.ts does, and tests listen on port 0 or inject.
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const { access, logger, readMigrationStatus } = options;
  const security = { ...DEFAULT_SECURITY, ...options.security };
  const metrics = options.metrics ?? createMetrics({ poolMax: options.poolMax ?? 0 });
  const ledger = meteredLedger(options.ledger, metrics);
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // logRequests logs what is worth a line; Fastify's two lines per request are not.
    logController: new LogController({ disableRequestLogging: true }),
    // The caller's X-Request-Id when it is sane, else a new one; on every log line.
    requestIdHeader: false,
    genReqId: requestIdOf,
    trustProxy: security.trustedProxies.length > 0 ? security.trustedProxies : false,
    bodyLimit: REQUEST_BODY_BYTES_MAX,
    // tRPC batches name every procedure in one path segment ("wallets.byId,ledger.totals,…"),
    // longer than the router's default of 100 characters for a dashboard page's batch.
    routerOptions: { maxParamLength: ROUTE_PARAM_LENGTH_MAX },
    // Fastify's own 503 while closing has a shape of its own; refuseWhileClosing sends ours.
    return503OnClosing: false,
    // So do its router's refusals (a path segment too long, a bad %-escape), sent before
    // any route is known: ours too, in tRPC's shape for a URL under /trpc.
    frameworkErrors: (error, request, reply) => {
      if (request.url.startsWith(`${TRPC_PREFIX}/`)) sendTrpcFrameworkError(error, request, reply);
      else sendFrameworkError(error, request, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();
  echoRequestId(app);
  logRequests(app, { slowRequestMs: options.slowRequestMs ?? SLOW_REQUEST_MS_DEFAULT });
  refuseWhileClosing(app);
  measureRequests(app, metrics);
  sendSecurityHeaders(app);
  // No origin may call from a browser unless configured: then nothing to add to responses.
  if (security.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: security.corsOrigins,
      allowedHeaders: [
        'authorization',
        'content-type',
        'x-request-id',
        'trpc-accept',
        'idempotency-key',
      ],
      exposedHeaders: ['x-request-id', 'retry-after'],
    });
  }
  const cookie = { secure: security.cookieSecure };
  const limitSignIn = await registerGuard(app, {
    access,
    rateLimit: security.rateLimit,
    rateLimitCounter: options.rateLimitCounter,
    trustedOrigins: security.trustedOrigins,
    cookie,
    sessionTtlMs: security.sessionTtlMs,
  });

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerRestErrorHandlers(app);
  registerJsonBodyParser(app);

  // Registered before the routes: it collects them as they are added.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Wallet ledger REST API',
        version: '1.0.0',
        // No open-source licence: an SPDX LicenseRef names the operator's own terms.
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        description:
          'Wallets, funding and transfers. Money is a JSON number with its exact decimal value; every error has the shape {statusCode, timestamp, path, error, message}. Every /wallets route needs an API key: Authorization: Bearer wlk_…',
      },
      // Relative: the API that serves this document; a deployment behind a proxy serves it
      // from the address its clients use.
      servers: [{ url: '/', description: 'The API that serves this document' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'wlk_<id>_<secret>' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: openApiTransform,
    transformObject: (documents) =>
      'openapiObject' in documents
        ? withDeepObjectFilters(documents.openapiObject)
        : documents.swaggerObject,
  });
  app.get(OPENAPI_PATH, { config: { operation: 'openapi.read' }, schema: { hide: true } }, () =>
    app.swagger(),
  );
  app.get(
    METRICS_PATH,
    { config: { operation: 'metrics.read' }, schema: { hide: true } },
    async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  await app.register(healthRoutes, { ledger, readMigrationStatus });
  await app.register(walletRoutes, { ledger });
  await app.register(transactionRoutes, { ledger });
  await app.register(holdRoutes, { ledger });
  await app.register(statementRoutes, { ledger });
  await app.register(eventRoutes, { ledger });
  await app.register(webhookRoutes, { webhooks: options.webhooks ?? WEBHOOKS_ABSENT });
  // Aborted as close() begins: the live event streams end, and close() need not wait on them.
  const closing = new AbortController();
  app.addHook('preClose', (done) => {
    closing.abort();
    done();
  });
  // tRPC in a scope of its own, with an HTTP edge that answers in tRPC's shape what
  // Fastify refuses before tRPC runs, and answers plain calls directly (see transport.ts).
  await app.register((trpcScope, _options, done) => {
    registerTrpcTransport(trpcScope, {
      prefix: TRPC_PREFIX,
      directCalls: options.directTrpcCalls,
      createContext: ({ req, res }) =>
        createContextInner({
          ledger,
          access,
          webhooks: options.webhooks,
          auth: req.auth,
          requestId: req.id,
          closing: closing.signal,
          session: {
            cookie,
            ttlMs: security.sessionTtlMs,
            trustedOrigins: security.trustedOrigins,
          },
          http: {
            csrfToken: headerText(req.headers[CSRF_HEADER]),
            origin: headerText(req.headers.origin),
            setCookie: (value) => void res.header('set-cookie', value),
            limitSignIn: (username) => limitSignIn(req, res, username),
          },
        }),
      onError({ error, path, req }) {
        // The client saw only "Internal server error"; the cause is for the operator.
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          req.log.error({ err: error.cause ?? error, procedure: path }, 'tRPC procedure failed');
        }
      },
    });
    done();
  });
  return app;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const zodSchemaTransform = createJsonSchemaTransform({});

/** The OpenAPI document lists the REST routes only: tRPC has its own typed client. */
const openApiTransform: typeof zodSchemaTransform = (route) => {
  if (route.url.startsWith(TRPC_PREFIX)) return { schema: { hide: true }, url: route.url };
  const transformed = zodSchemaTransform(route);
  const operation = route.route.config?.operation;
  if (operation === undefined) return transformed;
  return {
    ...transformed,
    schema: { ...transformed.schema, operationId: operationIdOf(operation) },
  };
};

/**
 * An object in a query string is written `metadata[key]=value` (foldMetadataQuery reads
 * it): OpenAPI's deepObject style, which @fastify/swagger cannot set on one parameter.
 */
function withDeepObjectFilters<Document extends { paths?: object }>(document: Document): Document {
  for (const pathItem of Object.values(document.paths ?? {}) as Record<string, unknown>[]) {
    for (const operation of Object.values(pathItem) as { parameters?: unknown[] }[]) {
      for (const parameter of operation.parameters ?? []) {
        const described = parameter as {
          in?: string;
          name?: string;
          style?: string;
          explode?: boolean;
        };
        if (described.in !== 'query' || described.name !== 'metadata') continue;
        described.style = 'deepObject';
        described.explode = true;
      }
    }
  }
  return document;
}

/** A route's operation (its access rule's name) as its OpenAPI id: wallets.fund is walletsFund. */
function operationIdOf(operation: string): string {
  return operation.replace(/\.(\w)/g, (_dot, letter: string) => letter.toUpperCase());
}

/**
 * Once close() has begun, requests still arriving on kept-alive connections get a 503 in
 * the documented shape and the connection is closed; those already in flight finish.
 */
function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    void reply
      .code(503)
      .header('connection', 'close')
      .send(restErrorBody(503, request.url, 'The server is shutting down'));
  });
}

/**
 * helmet's security headers on every response. With these options (no CSP nonce) they
 * are the same for every request: helmet's middleware runs once, here, on a response
 * that only records them, and each reply gets the recorded set (running the middleware
 * per request, twelve setHeader calls, was 2 to 3 % of the API's CPU under load).
 */
function sendSecurityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders({
    // A JSON API: no page of its own may load anything or be framed.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}

function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      // Only X-Powered-By, which Fastify never sends.
      Reflect.deleteProperty(headers, name.toLowerCase());
    },
  };
  let failure: unknown;
  helmet(options)(
    new IncomingMessage(new Socket()),
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure !== undefined) {
    throw failure instanceof Error ? failure : new Error('helmet refused its options');
  }
  return headers;
}
