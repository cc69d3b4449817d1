import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { ledgerEventSource } from '@wallet/webhooks';
import { Webhook } from 'standardwebhooks';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { AppRouter } from '../src/index';
import { bearer, expectRestError, startApi, UUID, type RunningApi } from './support/api';

/** The admin API over REST and tRPC, and one delivery end to end from a REST write. */

let api: RunningApi;
/** Built as production is: private and loopback targets refused. */
let strict: RunningApi;

beforeAll(async () => {
  [api, strict] = await Promise.all([
    startApi(),
    startApi({ webhooks: { allowPrivateUrls: false } }),
  ]);
});

afterAll(async () => {
  await Promise.all([api.close(), strict.close()]);
});

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A receiver on 127.0.0.1 that records what it is sent. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      );
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('REST /webhooks', () => {
  it('registers an endpoint, shows its secret once, lists it without, deletes it', async () => {
    const created = await api.http.post('/webhooks', {
      url: 'http://127.0.0.1:9/hooks',
      events: ['wallet.funded', 'transfer.completed'],
      description: 'accounting',
    });
    expect(created.status, created.text).toBe(201);
    const body = created.body as { id: string; secret: string };
    expect(body).toMatchObject({
      url: 'http://127.0.0.1:9/hooks',
      events: ['wallet.funded', 'transfer.completed'],
      description: 'accounting',
      previousSecretExpiresAt: null,
    });
    expect(body.id).toMatch(UUID);
    expect(body.secret).toMatch(/^whsec_/);
    const listed = await api.http.get('/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(body.secret);
    expect((listed.body as { items: { id: string }[] }).items.map((w) => w.id)).toContain(body.id);

    const rotated = await api.http.post(`/webhooks/${body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const next = rotated.body as { secret: string; previousSecretExpiresAt: string | null };
    expect(next.secret).not.toBe(body.secret);
    expect(next.previousSecretExpiresAt).not.toBeNull();

    expect((await api.http.delete(`/webhooks/${body.id}`)).status).toBe(200);
    expectRestError(
      await api.http.delete(`/webhooks/${body.id}`),
      404,
      `/webhooks/${body.id}`,
      'WEBHOOK_NOT_FOUND',
    );
  });

  it('refuses bad input (422), a malformed id (400), unknown ids (404)', async () => {
    const noEvents = await api.http.post('/webhooks', { url: 'http://127.0.0.1:9/' });
    expect(expectRestError(noEvents, 422, '/webhooks', 'INVALID_INPUT')).toMatch(/events/);
    const unknownType = await api.http.post('/webhooks', {
      url: 'http://127.0.0.1:9/',
      events: ['wallet.exploded'],
    });
    expectRestError(unknownType, 422, '/webhooks', 'INVALID_INPUT');
    const notHttp = await api.http.post('/webhooks', { url: 'file:///etc/passwd', events: ['*'] });
    expectRestError(notHttp, 422, '/webhooks', 'INVALID_INPUT');
    expectRestError(
      await api.http.get('/webhooks/nope/deliveries'),
      400,
      '/webhooks/nope/deliveries',
      'INVALID_PATH',
    );
    const unknown = '01900000-0000-7000-8000-000000000000';
    expectRestError(
      await api.http.get(`/webhooks/${unknown}/deliveries`),
      404,
      `/webhooks/${unknown}/deliveries`,
      'WEBHOOK_NOT_FOUND',
    );
    const made = (await api.http.post('/webhooks', { url: 'http://127.0.0.1:9/', events: ['*'] }))
      .body as { id: string };
    const path = `/webhooks/${made.id}/deliveries/${unknown}/retry`;
    expectRestError(await api.http.post(path), 404, path, 'WEBHOOK_DELIVERY_NOT_FOUND');
  });

  it('refuses private, link-local and loopback targets before connecting (SSRF)', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
      'http://[fd00::1]/hook',
      'http://localhost:9/hook',
    ]) {
      const refused = await strict.http.post('/webhooks', { url, events: ['*'] });
      expectRestError(refused, 422, '/webhooks', 'WEBHOOK_URL_REFUSED');
    }
    expect((await strict.http.get('/webhooks')).body).toEqual({ items: [] });
  });

  it('is for admins only', async () => {
    const operator = await api.clients.operator.post('/webhooks', {
      url: 'http://127.0.0.1:9/',
      events: ['*'],
    });
    expectRestError(operator, 403, '/webhooks', 'FORBIDDEN');
    expectRestError(await api.clients['read-only'].get('/webhooks'), 403, '/webhooks', 'FORBIDDEN');
    expectRestError(
      await api.clients.anonymous.get('/webhooks'),
      401,
      '/webhooks',
      'UNAUTHENTICATED',
    );
  });

  it('is in the OpenAPI document', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.paths['/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(document.paths['/webhooks']?.post?.responses).toHaveProperty('422');
    expect(document.paths['/webhooks/{id}']).toHaveProperty('delete');
    expect(document.paths['/webhooks/{id}/deliveries']).toHaveProperty('get');
    expect(document.paths['/webhooks/{id}/deliveries/{delivery_id}/retry']).toHaveProperty('post');
  });
});

describe('tRPC webhooks.*', () => {
  it('creates, lists and deletes; errors carry the catalogue code', async () => {
    const trpc = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${api.baseUrl}/trpc`,
          transformer: superjson,
          headers: bearer(api.keys.admin),
        }),
      ],
    });
    const made = await trpc.webhooks.create.mutate({ url: 'http://127.0.0.1:9/t', events: ['*'] });
    expect(made.secret).toMatch(/^whsec_/);
    expect((await trpc.webhooks.list.query()).map((w) => w.id)).toContain(made.webhook.id);
    await trpc.webhooks.delete.mutate({ webhookId: made.webhook.id });
    const gone = await trpc.webhooks.deliveries
      .query({ webhookId: made.webhook.id })
      .catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(TRPCClientError);
    expect((gone as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    const bad = await trpc.webhooks.create
      .mutate({ url: 'nope', events: [] })
      .catch((error: unknown) => error);
    expect((bad as TRPCClientError<AppRouter>).data?.code).toBe('UNPROCESSABLE_CONTENT');
  });
});

describe('a delivery from a REST write', () => {
  it('reaches the receiver signed; the admin sees it and can send it again', async () => {
    const receiver = await startReceiver();
    const made = (
      await api.http.post('/webhooks', { url: receiver.url, events: ['wallet.funded'] })
    ).body as { id: string; secret: string };
    await api.webhooks.start(ledgerEventSource(api.ledger));
    const wallet = (await api.http.post('/wallets', {})).body as { id: string };
    expect(
      (await api.http.post('/wallets/fund', { wallet_id: wallet.id, amount: 12.5 })).status,
    ).toBe(200);

    await vi.waitFor(
      () => {
        expect(receiver.received).toHaveLength(1);
      },
      { timeout: 20_000, interval: 20 },
    );
    const [first] = receiver.received;
    if (!first) throw new Error('nothing received');
    const event = new Webhook(made.secret).verify(first.body, first.headers) as {
      id: string;
      type: string;
      data: { walletId: string };
    };
    expect(event).toMatchObject({ type: 'wallet.funded', data: { walletId: wallet.id } });
    expect(first.headers['webhook-id']).toBe(event.id);

    const deliveriesPath = `/webhooks/${made.id}/deliveries`;
    await vi.waitFor(
      async () => {
        const page = (await api.http.get(deliveriesPath)).body as {
          items: { id: string; status: string; lastResponseCode: number; lastLatencyMs: number }[];
        };
        expect(page.items).toHaveLength(1);
        expect(page.items[0]).toMatchObject({ status: 'succeeded', lastResponseCode: 200 });
      },
      { timeout: 20_000, interval: 20 },
    );
    const page = (await api.http.get(deliveriesPath)).body as {
      items: { id: string; lastAttemptAt: string | null; lastLatencyMs: number | null }[];
    };
    // The attempt's time and latency, for the dashboard's table (and in the OpenAPI document).
    expect(page.items[0]?.lastAttemptAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(page.items[0]?.lastLatencyMs).toBeGreaterThanOrEqual(0);
    const document = JSON.stringify((await api.http.get('/openapi.json')).body);
    expect(document).toContain('"lastAttemptAt"');
    const deliveryId = page.items[0]?.id ?? '';
    const retried = await api.http.post(`${deliveriesPath}/${deliveryId}/retry`);
    expect(retried.status, retried.text).toBe(202);
    expect(retried.body).toMatchObject({ id: deliveryId, status: 'pending' });
    await vi.waitFor(
      () => {
        expect(receiver.received).toHaveLength(2);
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(receiver.received[1]?.headers['webhook-id']).toBe(event.id);
    receiver.close();
  });
});
