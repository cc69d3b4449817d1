import { readWebEnv } from '~/env';

/**
 * Forwards the browser's tRPC calls to the API. A route handler rather than a rewrite in
 * next.config: Next bakes rewrites into the build, and the API's address (API_URL) is a
 * setting of the running server, so one build serves any environment.
 */

const { API_URL } = readWebEnv();

/**
 * Longer than any ledger operation waits on its locks; then the operator sees a clear
 * error. Not for an event stream (a subscription), which lasts as long as its page: it
 * ends when the browser goes away (the request's own signal).
 */
const UPSTREAM_TIMEOUT_MS = 30_000;

function isEventStream(request: Request): boolean {
  return request.headers.get('accept')?.includes('text/event-stream') === true;
}

/**
 * Request headers worth passing on (hop-by-hop ones are not). The session cookie, the CSRF
 * token and the page's Origin go to the API, which checks them; so does the client's
 * address, which the API believes only from the proxies it is told to trust.
 */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'content-type',
  'trpc-accept',
  'x-trpc-source',
  'cookie',
  'origin',
  'x-csrf-token',
  'x-request-id',
];
/** Set-Cookie is passed on separately: a response may carry several. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  // An event stream's `no-cache, no-transform` also keeps Next from compressing it
  // (a compressed stream would be held back until a buffer fills).
  'cache-control',
  'x-accel-buffering',
  'vary',
  'retry-after',
  'x-request-id',
];

async function forward(request: Request): Promise<Response> {
  const incoming = new URL(request.url);
  const target = new URL(incoming.pathname + incoming.search, API_URL);
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const clientAddress = request.headers.get('x-forwarded-for');
  if (clientAddress !== null) headers.set('x-forwarded-for', clientAddress);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body:
        request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text(),
      signal: isEventStream(request)
        ? request.signal
        : AbortSignal.any([request.signal, AbortSignal.timeout(UPSTREAM_TIMEOUT_MS)]),
      cache: 'no-store',
    });
  } catch {
    // Not a tRPC body: the client reports a failure without `data`, which the dashboard
    // shows as "the wallet service could not be reached".
    return new Response('The wallet API could not be reached.', {
      status: 502,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) responseHeaders.set(name, value);
  }
  for (const cookie of upstream.headers.getSetCookie())
    responseHeaders.append('set-cookie', cookie);
  return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
}

export const dynamic = 'force-dynamic';
export const GET = forward;
export const POST = forward;
