import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

import { WEBHOOK_ERROR_LENGTH_MAX, WEBHOOK_RESPONSE_BYTES_MAX } from '@wallet/contract';

import type { CheckedTarget } from './url-guard';

/** What one attempt came to: a status (any, 2xx is success) or an error; and how long. */
export interface AttemptOutcome {
  statusCode: number | null;
  /** At most WEBHOOK_RESPONSE_BYTES_MAX bytes of the answer's body, as text. */
  responseBody: string | null;
  error: string | null;
  latencyMs: number;
}

export interface SendRequest {
  target: CheckedTarget;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** One keep-alive agent per scheme, closed by `close()`. */
export interface Sender {
  send(request: SendRequest): Promise<AttemptOutcome>;
  close(): void;
}

export function createSender(): Sender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  return {
    send: (request) => post(request, agents),
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * POSTs the body to the checked address, never another: the socket's lookup returns the
 * pinned address (TLS still checks the certificate for the URL's host name). Redirects
 * are not followed (Node's client never does): a 3xx is an answer that is not a 2xx. The
 * timeout covers the whole attempt, connection to last byte read; at most
 * WEBHOOK_RESPONSE_BYTES_MAX bytes of the answer are read, then the response is dropped.
 */
function post(
  { target, headers, body, timeoutMs }: SendRequest,
  agents: { 'http:': http.Agent; 'https:': https.Agent },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { url, address } = target;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, latencyMs: elapsed() });
    };
    const isHttps = url.protocol === 'https:';
    const request = (isHttps ? https : http).request(url, {
      method: 'POST',
      agent: isHttps ? agents['https:'] : agents['http:'],
      lookup: pinned,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'wallet-ledger-webhooks/1',
      },
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, responseBody: null, error: `timed out after ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => {
      finish({ statusCode: null, responseBody: null, error: errorText(error) });
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        finish({
          statusCode: response.statusCode ?? null,
          responseBody: Buffer.concat(chunks).toString('utf8'),
          error: null,
        });
        response.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        const room = WEBHOOK_RESPONSE_BYTES_MAX - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (size >= WEBHOOK_RESPONSE_BYTES_MAX) done();
      });
      response.on('end', done);
      response.on('error', (error) => {
        finish({
          statusCode: response.statusCode ?? null,
          responseBody: null,
          error: errorText(error),
        });
      });
    });
    request.end(body);
  });
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, WEBHOOK_ERROR_LENGTH_MAX);
}
