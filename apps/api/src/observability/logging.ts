import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/**
 * Never in a log line: credentials in headers, and any field that holds a secret. Fastify
 * logs no headers or bodies by default; this is the net under a careless log call.
 */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  'apiKey',
  'token',
  'csrfToken',
  '*.password',
  '*.apiKey',
  '*.token',
  '*.csrfToken',
];

/** The service's JSON logger; Fastify adds the request id (`reqId`) to each request's lines. */
export function createLogger(level: Level | 'silent', destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * What the service logs of its requests. Fastify's own two lines per request ("incoming
 * request", "request completed") are off: at a few thousand requests a second they were
 * a large share of the API's CPU and of the terminal's under `pnpm start`. Always logged:
 * a 5xx answer (error) and a request slower than `slowRequestMs` (warn); every request
 * only when the level is debug or finer.
 */
export function logRequests(
  app: FastifyInstance,
  { slowRequestMs }: { slowRequestMs: number },
): void {
  const everyRequest = app.log.level === 'debug' || app.log.level === 'trace';
  app.addHook('onResponse', (request, reply, done) => {
    const { statusCode, elapsedTime } = reply;
    const slow = slowRequestMs > 0 && elapsedTime >= slowRequestMs;
    if (statusCode >= 500 || slow || everyRequest) {
      const line = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        statusCode,
        ms: Math.round(elapsedTime),
      };
      if (statusCode >= 500) request.log.error(line, 'request answered with a server error');
      else if (slow) request.log.warn(line, 'slow request');
      else request.log.debug(line, 'request');
    }
    done();
  });
}
