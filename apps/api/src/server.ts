import fastifySwagger from '@fastify/swagger';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { REQUEST_BODY_BYTES_MAX } from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
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
import { healthRoutes } from './rest/health';
import { registerJsonBodyParser } from './rest/json-body';
import { walletRoutes } from './rest/wallets';
import { createContextInner, registerTrpcTransport, sendTrpcFrameworkError } from './trpc/init';
import { appRouter, type AppRouter } from './trpc/root';

export const TRPC_PREFIX = '/trpc';
export const OPENAPI_PATH = '/openapi.json';
/** The longest path segment the router reads: a batch of about a hundred procedure names. */
export const ROUTE_PARAM_LENGTH_MAX = 2_000;

export interface BuildServerOptions {
  ledger: Ledger;
  /** Fastify's logger (pino); silent when absent. */
  logger?: FastifyBaseLogger;
}

/**
 * The whole HTTP surface: REST at /wallets, tRPC at /trpc, the OpenAPI document and the
 * health check. It never listens: main.ts does, and tests listen on port 0 or inject.
 */
export async function buildServer({
  ledger,
  logger,
}: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
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
  refuseWhileClosing(app);

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
        description:
          'Wallets, funding and transfers. Money is a JSON number with its exact decimal value; every error has the shape {statusCode, timestamp, path, error, message}.',
      },
    },
    transform: openApiTransform,
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, () => app.swagger());

  await app.register(healthRoutes, { ledger });
  await app.register(walletRoutes, { ledger });
  // tRPC in a scope of its own, with an HTTP edge that answers in tRPC's shape what
  // Fastify refuses before tRPC runs (see registerTrpcTransport).
  await app.register(async (trpcScope) => {
    registerTrpcTransport(trpcScope);
    await trpcScope.register(fastifyTRPCPlugin, {
      prefix: TRPC_PREFIX,
      trpcOptions: {
        router: appRouter,
        createContext: () => createContextInner({ ledger }),
        onError({ error, path, req }) {
          // The client saw only "Internal server error"; the cause is for the operator.
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            req.log.error({ err: error.cause ?? error, procedure: path }, 'tRPC procedure failed');
          }
        },
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    });
  });
  return app;
}

const zodSchemaTransform = createJsonSchemaTransform({});

/** The OpenAPI document lists the REST routes only: tRPC has its own typed client. */
const openApiTransform: typeof zodSchemaTransform = (route) => {
  if (route.url.startsWith(TRPC_PREFIX)) return { schema: { hide: true }, url: route.url };
  return zodSchemaTransform(route);
};

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
