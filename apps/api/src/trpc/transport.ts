import { getTRPCErrorShape, transformTRPCResponse, TRPCError } from '@trpc/server';
import {
  fastifyRequestHandler,
  type FastifyTRPCPluginOptions,
} from '@trpc/server/adapters/fastify';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { describeRequestFailure, trpcCodeOf } from '../errors';
import { registerJsonTextParser } from '../rest/json-body';
import { answerDirectly, readCallInput, type TrpcErrorHandler } from './direct-calls';
import type { Context } from './init';
import { appRouter, type AppRouter } from './root';

type TrpcOptions = FastifyTRPCPluginOptions<AppRouter>['trpcOptions'];

export interface TrpcTransportOptions {
  prefix: string;
  createContext(edge: { req: FastifyRequest; res: FastifyReply }): Context;
  onError: TrpcErrorHandler;
  /**
   * Plain JSON calls are answered by direct-calls.ts; everything else by tRPC's own
   * adapter. False sends every call through the adapter: the test that compares both.
   */
  directCalls?: boolean;
}

/**
 * tRPC over HTTP, for the Fastify scope that holds it: the route tRPC's Fastify plugin
 * would add (`/trpc/:path`, any method), an edge around it, tRPC's own adapter behind it,
 * and a direct path for the calls a typed client makes all day.
 *
 * - What Fastify refuses before tRPC runs (a body too large, not JSON, not UTF-8) is told
 *   in tRPC's own error shape, so a tRPC client reads it as it reads any other error
 *   (the REST shape would reach it as "Unable to transform response from server").
 *   JSON bodies are checked to be UTF-8 as they are read (registerJsonTextParser).
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
 * - The adapter turns each request into a fetch Request and each answer into a streamed
 *   fetch Response: three times the CPU of the same REST call. A query by GET or a
 *   mutation by POST, one or a batch, with JSON input, is answered by direct-calls.ts
 *   from the input read once here, with tRPC's own error shapes and status codes.
 */
export function registerTrpcTransport(scope: FastifyInstance, options: TrpcTransportOptions): void {
  registerJsonTextParser(scope);
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
  const trpcOptions = {
    router: appRouter,
    createContext: ({ req, res }) => options.createContext({ req, res }),
    onError: options.onError,
  } satisfies TrpcOptions;
  scope.all<{ Params: { path: string } }>(`${options.prefix}/:path`, async (request, reply) => {
    const input = readCallInput(request);
    if (input.kind === 'refused') return sendTrpcError(request, reply, input.code, input.message);
    const { path } = request.params;
    if (options.directCalls !== false && input.kind === 'read') {
      const answered = await answerDirectly(request, reply, {
        path: decodeURIComponent(path),
        input: input.value,
        createContext: () => options.createContext({ req: request, res: reply }),
        onError: options.onError,
      });
      if (answered) return reply;
    }
    await fastifyRequestHandler({ ...trpcOptions, req: request, res: reply, path });
    return reply;
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
  const config = appRouter._def._config;
  const shape = getTRPCErrorShape({
    config,
    error: new TRPCError({ code, message }),
    type: 'unknown',
    path: procedurePathOf(request),
    input: undefined,
    ctx: undefined,
  });
  return reply.code(shape.data.httpStatus).send(transformTRPCResponse(config, { error: shape }));
}
