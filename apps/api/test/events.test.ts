import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppRouter } from '../src/index';
import {
  bearer,
  expectRestError,
  startApi,
  UNKNOWN_WALLET_ID,
  type RunningApi,
} from './support/api';

/** The outbox over both edges: GET /events, events.list, and the events.live stream (SSE). */

let api: RunningApi;
let trpc: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  api = await startApi();
  trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${api.baseUrl}/trpc`,
        transformer: superjson,
        headers: bearer(api.keys['read-only']),
      }),
    ],
  });
});

afterAll(async () => {
  await api.close();
});

interface RestEventPage {
  items: { id: string; cursor: string; type: string; walletId: string; amount: string | null }[];
  next: string;
  hasMore: boolean;
}

async function restPage(query: string): Promise<RestEventPage> {
  const result = await api.clients['read-only'].get(`/events${query}`);
  expect(result.status, result.text).toBe(200);
  return result.body as RestEventPage;
}

/** The cursor past everything served now. */
async function latest(): Promise<string> {
  let page = await restPage('?limit=100');
  while (page.hasMore) page = await restPage(`?after=${page.next}&limit=100`);
  return page.next;
}

describe('GET /events', () => {
  it('pages through the events of committed writes, oldest first, with a next cursor', async () => {
    const from = await latest();
    const wallet = await api.http.post('/wallets', {});
    const walletId = (wallet.body as { id: string }).id;
    await api.http.post('/wallets/fund', { wallet_id: walletId, amount: 12.5 });
    await api.http.post('/wallets/withdraw', { wallet_id: walletId, amount: '0.5' });
    // A refused write leaves no event.
    const refused = await api.http.post('/wallets/withdraw', { wallet_id: walletId, amount: 99 });
    expect(refused.status).toBe(400);

    const first = await restPage(`?after=${from}&limit=2`);
    expect(first.hasMore).toBe(true);
    const second = await restPage(`?after=${first.next}&limit=2`);
    expect(second.hasMore).toBe(false);
    const events = [...first.items, ...second.items];
    expect(events.map((event) => [event.type, event.amount])).toEqual([
      ['wallet.created', null],
      ['wallet.funded', '12.50'],
      ['wallet.withdrawn', '0.50'],
    ]);
    expect(events.every((event) => event.walletId === walletId)).toBe(true);
    expect(second.next).toBe(events.at(-1)?.cursor);
    const end = await restPage(`?after=${second.next}`);
    expect(end).toEqual({ items: [], next: second.next, hasMore: false });
  });

  it('refuses a malformed cursor or limit with 422 in the documented shape', async () => {
    for (const query of [
      '?after=abc',
      '?after=1',
      '?after=99999999999999999999999-1',
      '?limit=0',
    ]) {
      const result = await api.clients['read-only'].get(`/events${query}`);
      expectRestError(result, 422, `/events${query}`, 'INVALID_INPUT');
    }
    const extra = await api.clients['read-only'].get('/events?from=1');
    expectRestError(extra, 422, '/events?from=1', 'INVALID_INPUT');
  });

  it('needs a credential, and any role may read', async () => {
    expectRestError(await api.clients.anonymous.get('/events'), 401, '/events', 'UNAUTHENTICATED');
    for (const role of ['read-only', 'operator', 'admin'] as const) {
      expect((await api.clients[role].get('/events')).status).toBe(200);
    }
  });

  it('is in the OpenAPI document with its query and page', async () => {
    const document = (await api.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: object }>>;
    };
    const route = document.paths['/events']?.get;
    expect(route?.parameters?.map((parameter) => parameter.name).sort()).toEqual([
      'after',
      'limit',
    ]);
    expect(Object.keys(route?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '422']),
    );
  });
});

describe('events.list (tRPC)', () => {
  it('serves the same page as REST, with amounts as decimal text and dates as Dates', async () => {
    const from = await latest();
    const wallet = await api.ledger.createWallet({ currency: 'JPY' });
    await api.ledger.fundWallet({ walletId: wallet.id, amount: '1500' });
    const page = await trpc.events.list.query({ after: from });
    expect(page.items.map((event) => [event.type, event.amount, event.currency])).toEqual([
      ['wallet.created', null, 'JPY'],
      ['wallet.funded', '1500', 'JPY'],
    ]);
    expect(page.items[1]?.createdAt).toBeInstanceOf(Date);
    expect(page.items[1]?.data).toMatchObject({ amount: '1500', balanceAfter: '1500' });
    const rest = await restPage(`?after=${from}`);
    expect(rest.items.map((event) => event.id)).toEqual(page.items.map((event) => event.id));
  });

  it('refuses bad input as UNPROCESSABLE_CONTENT, and no credential as UNAUTHORIZED', async () => {
    const error = await trpc.events.list.query({ after: 'x-y' }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('UNPROCESSABLE_CONTENT');
    const anonymous = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${api.baseUrl}/trpc`, transformer: superjson })],
    });
    const refused = await anonymous.events.list.query({}).catch((reason: unknown) => reason);
    expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
  });
});

/** One server-sent event as tRPC writes it: its `event:` name, `id:` and decoded `data:`. */
interface SentEvent {
  event?: string;
  id?: string;
  data?: unknown;
}

/**
 * Opens events.live as a browser's EventSource would (GET, Accept: text/event-stream)
 * and parses what streams back; `next` resolves with the next data message.
 */
async function openStream(input: Record<string, unknown>, on: RunningApi = api) {
  const controller = new AbortController();
  const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const response = await fetch(`${on.baseUrl}/trpc/events.live?input=${query}`, {
    headers: { accept: 'text/event-stream', ...bearer(on.keys['read-only']) },
    signal: controller.signal,
  });
  const messages: SentEvent[] = [];
  let buffered = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of response.body ?? []) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        messages.push(parseMessage(buffered.slice(0, end)));
        buffered = buffered.slice(end + 2);
      }
    }
  })().catch(() => undefined);
  const dataMessages = () => messages.filter((message) => message.id !== undefined);
  return {
    response,
    reading,
    messages,
    dataMessages,
    waitFor: (count: number) =>
      expect.poll(() => dataMessages().length, { timeout: 5_000, interval: 5 }).toBe(count),
    waitConnected: () =>
      expect
        .poll(() => messages.some((message) => message.event === 'connected'), { timeout: 5_000 })
        .toBe(true),
    async close() {
      controller.abort();
      await reading;
    },
  };
}

function parseMessage(text: string): SentEvent {
  const message: SentEvent = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).trimStart();
    if (field === 'event') message.event = value;
    if (field === 'id') message.id = value;
    if (field === 'data') message.data = superjson.deserialize(JSON.parse(value) as never);
  }
  return message;
}

describe('events.live (tRPC subscription over server-sent events)', () => {
  it("streams a wallet's events as they commit, each tagged with its cursor", async () => {
    const wallet = await api.ledger.createWallet({});
    const other = await api.ledger.createWallet({});
    const stream = await openStream({ walletId: wallet.id });
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.waitConnected();
    await api.http.post('/wallets/fund', { wallet_id: wallet.id, amount: 3 });
    // Another wallet's movement is not this stream's.
    await api.http.post('/wallets/fund', { wallet_id: other.id, amount: 4 });
    await api.http.post('/wallets/transfer', {
      senderWalletId: other.id,
      receiverWalletId: wallet.id,
      amount: 1,
    });
    await stream.waitFor(2);
    const [funded, transferred] = stream.dataMessages();
    expect(funded?.data).toMatchObject({ type: 'wallet.funded', amount: '3.00' });
    expect(transferred?.data).toMatchObject({
      type: 'transfer.completed',
      walletId: other.id,
      counterpartyWalletId: wallet.id,
    });
    expect(funded?.id).toBe((funded?.data as { cursor: string }).cursor);
    await stream.close();
  });

  it('replays what followed lastEventId (a reconnection), then goes live', async () => {
    const wallet = await api.ledger.createWallet({});
    const from = await latest();
    await api.ledger.fundWallet({ walletId: wallet.id, amount: '1' });
    await api.ledger.fundWallet({ walletId: wallet.id, amount: '2' });
    const stream = await openStream({ walletId: wallet.id, lastEventId: from });
    await stream.waitFor(2);
    await api.ledger.fundWallet({ walletId: wallet.id, amount: '3' });
    await stream.waitFor(3);
    const amounts = stream
      .dataMessages()
      .map((message) => (message.data as { amount: string }).amount);
    expect(amounts).toEqual(['1.00', '2.00', '3.00']);
    await stream.close();
  });

  it('refuses no credential and bad input: an error event, then the stream ends', async () => {
    // tRPC's server-sent events answer 200 and tell a refusal as a `serialized-error`
    // event, which the client raises with the error's code; nothing else is sent.
    const refusalOf = async (input: Record<string, unknown>, headers: Record<string, string>) => {
      const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
      const response = await fetch(`${api.baseUrl}/trpc/events.live?input=${query}`, {
        headers: { accept: 'text/event-stream', ...headers },
      });
      const messages = (await response.text()).split('\n\n').filter(Boolean).map(parseMessage);
      expect(messages.filter((message) => message.id !== undefined)).toEqual([]);
      const error = messages.find((message) => message.event === 'serialized-error');
      return (error?.data as { data: { code: string; httpStatus: number } }).data;
    };
    expect(await refusalOf({}, {})).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    const key = bearer(api.keys['read-only']);
    expect(await refusalOf({ walletId: 'nope' }, key)).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
      httpStatus: 422,
    });
    expect(await refusalOf({ walletId: UNKNOWN_WALLET_ID, lastEventId: '1-' }, key)).toMatchObject({
      code: 'UNPROCESSABLE_CONTENT',
    });
  });
});

/** Far above what it takes (milliseconds), far below what waiting on the client took. */
const STREAM_END_ON_CLOSE_MS_MAX = 2_000;

describe('a closing server', () => {
  it('ends its event streams, so close() does not wait on them', async () => {
    const other = await startApi();
    const stream = await openStream({}, other);
    await stream.waitConnected();
    // The server ends the stream as close() begins; without that, close() waited for the
    // stream's client to go away (12 s here).
    const started = performance.now();
    const closed = other.app.close();
    await stream.reading;
    expect(performance.now() - started).toBeLessThan(STREAM_END_ON_CLOSE_MS_MAX);
    await stream.close();
    await closed;
    await other.close();
  });
});
