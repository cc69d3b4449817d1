import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectRestError, startApi, type RunningApi } from './support/api';

/** Dashboard sessions: the cookie's flags, CSRF and Origin checks, sign-out for good. */

let api: RunningApi;
const DASHBOARD = 'http://dashboard.test'; // the trusted origin of the test servers
const PASSWORD = 'operator password';

beforeAll(async () => {
  api = await startApi();
  await api.access.createOperator(
    { username: 'olga', password: PASSWORD, role: 'operator' },
    { actor: 'cli' },
  );
  await api.access.createOperator(
    { username: 'rita', password: PASSWORD, role: 'read-only' },
    { actor: 'cli' },
  );
});

afterAll(async () => {
  await api.close();
});

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function post(path: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(new URL(path, api.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

async function get(path: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(new URL(path, api.baseUrl), { headers });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

function trpcData(answer: Answer): Record<string, unknown> {
  return (answer.json.result as { data: { json: Record<string, unknown> } }).data.json;
}

function trpcError(answer: Answer): { code?: string; accessCode?: string } {
  return (answer.json.error as { json: { data: { code?: string; accessCode?: string } } }).json
    .data;
}

async function signIn(
  username: string,
): Promise<{ cookie: string; setCookie: string; csrf: string }> {
  const answer = await post(
    '/trpc/auth.signIn',
    { json: { username, password: PASSWORD } },
    { origin: DASHBOARD },
  );
  expect(answer.status).toBe(200);
  const setCookie = answer.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const session = await get('/trpc/auth.session', { cookie });
  expect(session.status).toBe(200);
  return { cookie, setCookie, csrf: String(trpcData(session).csrfToken) };
}

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict, Secure, Path=/ cookie with a bounded Max-Age', async () => {
    const { setCookie } = await signIn('olga');
    expect(setCookie).toMatch(/^wallet_session=[A-Za-z0-9_-]{43};/);
    const flags = setCookie.split('; ').slice(1);
    expect(flags).toEqual(
      expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure']),
    );
    const maxAge = Number(flags.find((flag) => flag.startsWith('Max-Age='))?.slice(8));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(8 * 60 * 60);
  });

  it('a wrong password is a 401 and sets no cookie', async () => {
    const answer = await post(
      '/trpc/auth.signIn',
      { json: { username: 'olga', password: 'not it at all' } },
      {},
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('from a page of another origin is refused', async () => {
    const answer = await post(
      '/trpc/auth.signIn',
      { json: { username: 'olga', password: PASSWORD } },
      { origin: 'https://evil.example' },
    );
    expect(answer.status).toBe(403);
    expect(trpcError(answer).accessCode).toBe('CSRF_REJECTED');
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated tRPC write without the token, with a wrong one, or from another origin', async () => {
    const { cookie, csrf } = await signIn('olga');
    const create = (headers: Record<string, string>) =>
      post('/trpc/wallets.create', { json: {} }, { cookie, ...headers });
    const attempts: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'A'.repeat(43) },
      { 'x-csrf-token': csrf, origin: 'https://evil.example' },
    ];
    for (const headers of attempts) {
      const refused = await create(headers);
      expect(refused.status).toBe(403);
      expect(trpcError(refused).accessCode).toBe('CSRF_REJECTED');
    }
    const accepted = await create({ 'x-csrf-token': csrf, origin: DASHBOARD });
    expect(accepted.status).toBe(200);
  });

  it('REST too, in the documented shape; reads need no token', async () => {
    const { cookie, csrf } = await signIn('olga');
    const refused = await post('/wallets', {}, { cookie });
    expectRestError(
      { ...refused, contentType: 'application/json', text: '', body: refused.json },
      403,
      '/wallets',
    );
    expect((await post('/wallets', {}, { cookie, 'x-csrf-token': csrf })).status).toBe(201);
    expect((await get('/wallets', { cookie })).status).toBe(200);
  });

  it('a Bearer request needs no CSRF token', async () => {
    expect(
      (await post('/wallets', {}, { authorization: `Bearer ${api.keys.operator}` })).status,
    ).toBe(201);
  });

  it('the role of the account still decides: a read-only operator cannot write', async () => {
    const { cookie, csrf } = await signIn('rita');
    const refused = await post(
      '/trpc/wallets.create',
      { json: {} },
      { cookie, 'x-csrf-token': csrf },
    );
    expect(trpcError(refused).code).toBe('FORBIDDEN');
    expect(trpcError(refused).accessCode).toBe('FORBIDDEN');
  });
});

describe('sign-out', () => {
  it('ends the session in the database and clears the cookie', async () => {
    const { cookie, csrf } = await signIn('olga');
    const out = await post(
      '/trpc/auth.signOut',
      { json: null },
      { cookie, 'x-csrf-token': csrf, origin: DASHBOARD },
    );
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^wallet_session=; .*Max-Age=0/);
    const after = await get('/trpc/auth.session', { cookie });
    expect(after.status).toBe(401);
    const { items } = await api.access.listAudit({ action: 'auth.signOut' });
    expect(items.length).toBeGreaterThan(0);
  });

  it('a forged or unknown cookie is a 401', async () => {
    const answer = await get('/wallets', { cookie: `wallet_session=${'x'.repeat(43)}` });
    expect(answer.status).toBe(401);
  });
});
