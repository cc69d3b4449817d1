import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { REQUEST_ID_LENGTH_MAX } from '@wallet/contract';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTABLE_ID = new RegExp(`^[A-Za-z0-9._:/+=-]{1,${REQUEST_ID_LENGTH_MAX}}$`);

/**
 * Fastify's genReqId: the caller's X-Request-Id when it is short printable text (so a
 * trace can cross services), else a new UUID: a client cannot inject log lines or
 * megabytes through it.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/** Every response, errors included, names its request id. */
export function echoRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
