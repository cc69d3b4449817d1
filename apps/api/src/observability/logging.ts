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
