import { roleAllows, type AccessRole } from '@wallet/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { OPERATION_ROLES, type Operation } from '../src/security/operations';
import { appRouter } from '../src/trpc/root';
import {
  bearer,
  createWallet,
  expectRestError,
  fundWallet,
  httpClient,
  startApi,
  UNKNOWN_WALLET_ID,
  type RunningApi,
} from './support/api';

/** Who may do what, over REST and tRPC, against the real database. */

let api: RunningApi;

beforeAll(async () => {
  api = await startApi();
});

afterAll(async () => {
  await api.close();
});

interface Sent {
  status: number;
  headers: Headers;
  body: unknown;
}

async function request(path: string, init: RequestInit = {}): Promise<Sent> {
  const response = await fetch(new URL(path, api.baseUrl), init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: response.headers.get('content-type')?.startsWith('application/json')
      ? JSON.parse(text)
      : text,
  };
}

/** A tRPC call over raw HTTP, so every header is ours. */
function trpcCall(
  procedure: string,
  type: 'query' | 'mutation',
  input: unknown,
  headers: Record<string, string> = {},
): Promise<Sent> {
  const payload = JSON.stringify({ json: input });
  return type === 'query'
    ? request(`/trpc/${procedure}?input=${encodeURIComponent(payload)}`, { headers })
    : request(`/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      });
}

function trpcCode(sent: Sent): string | undefined {
  return (sent.body as { error?: { json?: { data?: { code?: string } } } }).error?.json?.data?.code;
}

const REVOKED = 'revoked';

describe('401: no credential, a wrong one, a revoked one', () => {
  let revokedKey: string;

  beforeAll(async () => {
    const created = await api.access.createApiKey(
      { name: 'gone', role: 'admin' },
      { actor: 'cli' },
    );
    await api.access.revokeApiKey({ id: created.key.id }, { actor: 'cli' });
    revokedKey = created.apiKey;
  });

  const cases = () =>
    [
      ['none', {}],
      ['malformed header', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['unknown key', bearer(`wlk_${'0'.repeat(32)}_${'A'.repeat(43)}`)],
      ['wrong secret', bearer(`${api.keys.admin.slice(0, -3)}xyz`)],
      [REVOKED, bearer(revokedKey)],
    ] as const;

  it('REST answers 401 in the documented shape for each', async () => {
    for (const [what, headers] of cases()) {
      const result = await httpClient(api.baseUrl, headers).post('/wallets', {});
      const message = expectRestError(result, 401, '/wallets');
      if (what === REVOKED) expect(message).toMatch(/revoked/);
    }
  });

  it('tRPC answers UNAUTHORIZED (401) for each', async () => {
    for (const [, headers] of cases()) {
      const result = await trpcCall('wallets.list', 'query', {}, headers);
      expect(result.status).toBe(401);
      expect(trpcCode(result)).toBe('UNAUTHORIZED');
    }
  });

  it('health, readiness and the OpenAPI document stay open', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json']) {
      expect((await request(path)).status).toBe(200);
    }
  });
});

/** Every REST route, with a request that passes authorisation and then needs nothing. */
const REST_ROUTES: { operation: Operation; method: string; path: string; body?: unknown }[] = [
  { operation: 'wallets.create', method: 'POST', path: '/wallets', body: {} },
  { operation: 'wallets.fund', method: 'POST', path: '/wallets/fund', body: {} },
  { operation: 'wallets.transfer', method: 'POST', path: '/wallets/transfer', body: {} },
  { operation: 'wallets.list', method: 'GET', path: '/wallets' },
  { operation: 'wallets.byId', method: 'GET', path: `/wallets/${UNKNOWN_WALLET_ID}` },
  {
    operation: 'wallets.transactions',
    method: 'GET',
    path: `/wallets/${UNKNOWN_WALLET_ID}/transactions`,
  },
  { operation: 'metrics.read', method: 'GET', path: '/metrics' },
];

const ROLES: AccessRole[] = ['read-only', 'operator', 'admin'];

function mayDo(role: AccessRole, operation: Operation): boolean {
  const needed = OPERATION_ROLES[operation];
  return needed === 'public' || needed === 'signed-in' || roleAllows(role, needed);
}

describe('each role can do exactly what it may', () => {
  it.each(ROLES)('REST, %s: every route', async (role) => {
    for (const route of REST_ROUTES) {
      const result = await request(route.path, {
        method: route.method,
        headers: { ...bearer(api.keys[role]), 'content-type': 'application/json' },
        body: route.body === undefined ? undefined : JSON.stringify(route.body),
      });
      const refused = result.status === 403;
      expect(refused, `${role} ${route.method} ${route.path}: ${result.status}`).toBe(
        !mayDo(role, route.operation),
      );
      expect(result.status).not.toBe(401);
      if (refused)
        expectRestError({ ...result, contentType: 'application/json', text: '' }, 403, route.path);
    }
  });

  it.each(ROLES)('tRPC, %s: every procedure of the router', async (role) => {
    const procedures = Object.entries(appRouter._def.procedures) as unknown as [
      string,
      { _def: { type: 'query' | 'mutation'; meta?: { operation?: Operation } } },
    ][];
    expect(procedures.length).toBeGreaterThan(15);
    for (const [path, procedure] of procedures) {
      const operation = procedure._def.meta?.operation;
      expect(operation, `${path} names its operation`).toBe(path);
      if (operation === undefined || operation === 'auth.signIn') continue;
      // `{}` fails most inputs: a 422 after authorisation is what "allowed" looks like.
      const result = await trpcCall(path, procedure._def.type, {}, bearer(api.keys[role]));
      expect(result.status === 403, `${role} ${path}: ${result.status}`).toBe(
        !mayDo(role, operation),
      );
      expect(result.status).not.toBe(401);
    }
  });

  it('an operator cannot create a key; an admin can, and the new key works at once', async () => {
    const operator = await trpcCall(
      'keys.create',
      'mutation',
      { name: 'x', role: 'admin' },
      bearer(api.keys.operator),
    );
    expect(trpcCode(operator)).toBe('FORBIDDEN');
    const operatorKey = await api.access.authenticateApiKey(api.keys.operator);
    const denied = await api.access.listAudit({
      actor: `key:${operatorKey.id}`,
      action: 'keys.create',
    });
    expect(denied.items[0]).toMatchObject({ outcome: 'denied', details: { code: 'FORBIDDEN' } });
    const admin = await trpcCall(
      'keys.create',
      'mutation',
      { name: 'ci', role: 'read-only' },
      bearer(api.keys.admin),
    );
    expect(admin.status).toBe(200);
    const { apiKey } = (admin.body as { result: { data: { json: { apiKey: string } } } }).result
      .data.json;
    expect((await httpClient(api.baseUrl, bearer(apiKey)).get('/wallets')).status).toBe(200);
    expectRestError(
      await httpClient(api.baseUrl, bearer(apiKey)).post('/wallets', {}),
      403,
      '/wallets',
    );
  });
});

describe('the audit log records each write', () => {
  it('successes and refusals of REST and tRPC writes, with actor, target and request id', async () => {
    const operatorKey = await api.access.authenticateApiKey(api.keys.operator);
    const operator = httpClient(api.baseUrl, {
      ...bearer(api.keys.operator),
      'x-request-id': 'audit-req-1',
    });
    const wallet = await createWallet(operator);
    await fundWallet(operator, wallet.id, 10);
    const refused = await operator.post('/wallets/transfer', {
      senderWalletId: wallet.id,
      receiverWalletId: (await createWallet(operator)).id,
      amount: 20,
    });
    expect(refused.status).toBe(400);
    await trpcCall(
      'wallets.fund',
      'mutation',
      { walletId: wallet.id, amount: '1.00' },
      {
        ...bearer(api.keys.operator),
        'x-request-id': 'audit-req-2',
      },
    );

    const { items } = await api.access.listAudit({ actor: `key:${operatorKey.id}`, limit: 100 });
    const mine = items.filter((entry) => entry.requestId?.startsWith('audit-req-'));
    expect(mine.map((entry) => [entry.action, entry.outcome, entry.requestId])).toEqual([
      ['wallets.fund', 'success', 'audit-req-2'],
      ['wallets.transfer', 'refused', 'audit-req-1'],
      ['wallets.create', 'success', 'audit-req-1'],
      ['wallets.fund', 'success', 'audit-req-1'],
      ['wallets.create', 'success', 'audit-req-1'],
    ]);
    expect(mine[1]?.details).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(mine[3]).toMatchObject({ target: wallet.id, details: { amount: '10' } });
  });

  it('audit.list is paged and readable by an operator, not by read-only', async () => {
    const page = await trpcCall('audit.list', 'query', { limit: 2 }, bearer(api.keys.operator));
    expect(page.status).toBe(200);
    const data = (
      page.body as { result: { data: { json: { items: unknown[]; nextCursor: string } } } }
    ).result.data.json;
    expect(data.items).toHaveLength(2);
    expect(data.nextCursor).toMatch(/^\d+$/);
    const readOnly = await trpcCall('audit.list', 'query', {}, bearer(api.keys['read-only']));
    expect(readOnly.status).toBe(403);
  });
});

describe('metrics, request ids and headers', () => {
  it('/metrics needs a key and exposes requests, latency, ledger operations and the pool', async () => {
    expect((await request('/metrics')).status).toBe(401);
    await api.http.get('/wallets');
    const response = await fetch(new URL('/metrics', api.baseUrl), {
      headers: bearer(api.keys['read-only']),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/wallets",status="200"\} \d+/);
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/wallets",status="200"\}/,
    );
    expect(text).toMatch(/ledger_operations_total\{operation="listWallets",outcome="ok"\} \d+/);
    expect(text).toMatch(
      /ledger_operations_total\{operation="transferFunds",outcome="INSUFFICIENT_FUNDS"\} \d+/,
    );
    expect(text).toContain('db_pool_max_connections 8');
    expect(text).toContain('ledger_operations_in_flight');
  });

  it('echoes a sane X-Request-Id, replaces a bad one, and names one on errors too', async () => {
    const given = await request('/wallets', {
      headers: { ...bearer(api.keys.admin), 'x-request-id': 'trace-42' },
    });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const bad = await request('/wallets', {
      headers: { ...bearer(api.keys.admin), 'x-request-id': 'x'.repeat(500) },
    });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await request('/wallets');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and, by default, no CORS grant', async () => {
    const result = await request('/healthz', { headers: { origin: 'https://evil.example' } });
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
    expect(result.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(result.headers.get('strict-transport-security')).toContain('max-age=');
    expect(result.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS by configuration', () => {
  it('grants the configured origin only', async () => {
    const cors = await startApi({ security: { corsOrigins: ['https://app.example'] } });
    try {
      const preflight = (origin: string) =>
        fetch(new URL('/wallets', cors.baseUrl), {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      expect(
        (await preflight('https://app.example')).headers.get('access-control-allow-origin'),
      ).toBe('https://app.example');
      expect(
        (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
    } finally {
      await cors.close();
    }
  });
});

describe('rate limits', () => {
  let limited: RunningApi;
  const WINDOW_MS = 400;

  beforeAll(async () => {
    limited = await startApi({
      security: { rateLimit: { perKey: 3, perAddress: 2, signIn: 2, windowMs: WINDOW_MS } },
    });
    await limited.access.createOperator(
      { username: 'limited', password: 'a long password', role: 'operator' },
      { actor: 'cli' },
    );
  });

  afterAll(async () => {
    await limited.close();
  });

  it('per key: 429 with Retry-After in the documented shape, then recovers', async () => {
    const client = limited.clients['read-only'];
    for (let i = 0; i < 3; i++) expect((await client.get('/wallets')).status).toBe(200);
    const over = await fetch(new URL('/wallets', limited.baseUrl), {
      headers: bearer(limited.keys['read-only']),
    });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await over.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', path: '/wallets' });
    // Another key has its own budget.
    expect((await limited.clients.operator.get('/wallets')).status).toBe(200);
    await vi.waitFor(
      async () => {
        expect((await client.get('/wallets')).status).toBe(200);
      },
      { timeout: 5 * WINDOW_MS, interval: 50 },
    );
  });

  it('per address, for requests without a valid credential; tRPC says TOO_MANY_REQUESTS', async () => {
    const anonymous = () =>
      fetch(new URL('/trpc/wallets.list', limited.baseUrl)).then((response) => response.status);
    await vi.waitFor(
      async () => {
        // A fresh window: two 401s, then 429.
        expect([await anonymous(), await anonymous(), await anonymous()]).toEqual([401, 401, 429]);
      },
      { timeout: 10 * WINDOW_MS, interval: WINDOW_MS },
    );
  });

  it('sign-in attempts per username: 429 past the limit, whatever the password', async () => {
    const attempt = (password: string) =>
      fetch(new URL('/trpc/auth.signIn', limited.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(limited.keys.admin) },
        body: JSON.stringify({ json: { username: 'limited', password } }),
      }).then((response) => response.status);
    await vi.waitFor(
      async () => {
        expect([
          await attempt('wrong one'),
          await attempt('wrong two'),
          await attempt('a long password'),
        ]).toEqual([401, 401, 429]);
      },
      { timeout: 10 * WINDOW_MS, interval: WINDOW_MS },
    );
  });
});
