import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import {
  AMOUNT_TEXT_LENGTH_MAX,
  DESCRIPTION_LENGTH_MAX,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  JSON_NESTING_DEPTH_MAX,
  PAGE_SIZE_MAX,
  REQUEST_BODY_BYTES_MAX,
} from '@wallet/contract';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppRouter } from '../src/index';
import {
  createWallet,
  expectRestError,
  expectFundResult,
  startApi,
  type RunningApi,
  type WalletBody,
} from './support/api';
import { bearer } from './support/api';
import { countWrites, expectTrpcClientErrors, send } from './support/hostile';

/**
 * Every documented limit at its edge, over REST and tRPC: the largest value that is
 * accepted, and the first that is refused, with a message that names the field and the
 * limit. Nothing refused writes anything.
 */

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

let api: RunningApi;
let trpc: Client;

beforeAll(async () => {
  api = await startApi();
  trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${api.baseUrl}/trpc`,
        transformer: superjson,
        headers: bearer(api.keys.admin),
      }),
    ],
  });
});

afterAll(async () => {
  expect((await api.ledger.verify()).violations).toEqual([]);
  await api.close();
});

const json = (body: string | Uint8Array) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
});

/** A REST call that must fail with `status` and `message`, writing nothing. */
async function expectRestRefusal(
  path: string,
  body: unknown,
  status: number,
  message: string | RegExp,
): Promise<void> {
  const before = await countWrites(api.ledger);
  const result = await api.http.post(path, body);
  expect(expectRestError(result, status, path)).toMatch(message);
  expect(await countWrites(api.ledger)).toEqual(before);
}

/** A tRPC call that must fail with `status` and `message`, writing nothing. */
async function expectTrpcRefusal(
  call: () => Promise<unknown>,
  status: number,
  message: string | RegExp,
): Promise<void> {
  const before = await countWrites(api.ledger);
  const error: unknown = await call().then(
    () => new Error('the call succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const { data, message: said } = error as TRPCClientError<AppRouter>;
  expect(data?.httpStatus).toBe(status);
  expect(said).toMatch(message);
  expect(await countWrites(api.ledger)).toEqual(before);
}

/** The exact message, as a whole-string pattern. */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe(`request body: at most ${REQUEST_BODY_BYTES_MAX} bytes`, () => {
  /** A valid funding padded with JSON whitespace to exactly `bytes` bytes. */
  const fundingOf = (prefix: string, walletId: string, bytes: number, suffix = '') => {
    const core = `${prefix}{"amount":1,"${prefix ? 'walletId' : 'wallet_id'}":"${walletId}"}${suffix}`;
    return `${core}${' '.repeat(bytes - Buffer.byteLength(core))}`;
  };

  it('REST: a body of exactly the limit is read; one byte more is a 413', async () => {
    const wallet = await createWallet(api.http);
    const atLimit = fundingOf('', wallet.id, REQUEST_BODY_BYTES_MAX);
    expect(Buffer.byteLength(atLimit)).toBe(REQUEST_BODY_BYTES_MAX);
    const accepted = await send(api, '/wallets/fund', json(atLimit));
    expect(accepted.status, accepted.text).toBe(200);
    expect(expectFundResult(accepted.json).balance).toBe(1);

    const over = fundingOf('', wallet.id, REQUEST_BODY_BYTES_MAX + 1);
    const before = await countWrites(api.ledger);
    const refused = await api.http.postRaw('/wallets/fund', over);
    expect(expectRestError(refused, 413, '/wallets/fund')).toBe(
      `Request body is too large: at most ${REQUEST_BODY_BYTES_MAX} bytes are read`,
    );
    expect(await countWrites(api.ledger)).toEqual(before);
  });

  it('tRPC: the same limit, and the 413 in tRPC shape (PAYLOAD_TOO_LARGE)', async () => {
    const wallet = await trpc.wallets.create.mutate({});
    const atLimit = fundingOf('{"json":', wallet.id, REQUEST_BODY_BYTES_MAX, '}');
    const accepted = await send(api, '/trpc/wallets.fund', json(atLimit));
    expect(accepted.status, accepted.text).toBe(200);

    const before = await countWrites(api.ledger);
    const over = fundingOf('{"json":', wallet.id, REQUEST_BODY_BYTES_MAX + 1, '}');
    const refused = await send(api, '/trpc/wallets.fund', json(over));
    const [error] = expectTrpcClientErrors(refused);
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    await expectTrpcRefusal(
      () =>
        trpc.wallets.fund.mutate({
          walletId: wallet.id,
          amount: 1,
          description: 'x'.repeat(REQUEST_BODY_BYTES_MAX),
        }),
      413,
      `Request body is too large: at most ${REQUEST_BODY_BYTES_MAX} bytes are read`,
    );
    expect(await countWrites(api.ledger)).toEqual(before);
  });
});

describe(`JSON nesting: at most ${JSON_NESTING_DEPTH_MAX} levels`, () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('REST: 32 levels reach validation (422); 33 are refused unparsed (400)', async () => {
    const within = await api.http.postRaw('/wallets', nested(JSON_NESTING_DEPTH_MAX));
    expectRestError(within, 422, '/wallets');
    const past = await api.http.postRaw('/wallets', nested(JSON_NESTING_DEPTH_MAX + 1));
    expect(expectRestError(past, 400, '/wallets')).toBe(
      `Malformed JSON in request body: nested deeper than ${JSON_NESTING_DEPTH_MAX} levels`,
    );
  });

  it('tRPC: the envelope counts; one level past the limit is a 400', async () => {
    // {"json": …} is one level, so the input itself may nest one less.
    const within = await send(
      api,
      '/trpc/wallets.create',
      json(`{"json":${nested(JSON_NESTING_DEPTH_MAX - 1)}}`),
    );
    expect(expectTrpcClientErrors(within)[0]?.httpStatus).toBe(422);
    const past = await send(
      api,
      '/trpc/wallets.create',
      json(`{"json":${nested(JSON_NESTING_DEPTH_MAX)}}`),
    );
    const [error] = expectTrpcClientErrors(past);
    expect(error).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: `Input is nested deeper than ${JSON_NESTING_DEPTH_MAX} levels`,
    });
  });
});

describe(`description: at most ${DESCRIPTION_LENGTH_MAX} characters`, () => {
  const message = exactly(`description must be at most ${DESCRIPTION_LENGTH_MAX} characters`);

  it('REST: 500 characters (also 500 emoji: characters, not UTF-16 units) are fine; 501 are a 422', async () => {
    const wallet = await createWallet(api.http);
    for (const description of ['d'.repeat(500), '😀'.repeat(500)]) {
      const result = await api.http.post('/wallets/fund', {
        wallet_id: wallet.id,
        amount: 1,
        description,
      });
      expect(result.status, result.text).toBe(200);
    }
    const body = { wallet_id: wallet.id, amount: 1, description: 'd'.repeat(501) };
    await expectRestRefusal('/wallets/fund', body, 422, message);
    const emoji = { ...body, description: '😀'.repeat(501) };
    await expectRestRefusal('/wallets/fund', emoji, 422, message);
  });

  it('tRPC: the same', async () => {
    const { id } = await trpc.wallets.create.mutate({});
    await trpc.wallets.fund.mutate({ walletId: id, amount: 1, description: 'd'.repeat(500) });
    const call = () =>
      trpc.wallets.fund.mutate({ walletId: id, amount: 1, description: 'd'.repeat(501) });
    await expectTrpcRefusal(call, 422, message);
  });

  it('REST and tRPC: text PostgreSQL cannot store as sent (NUL, a lone surrogate) is a 422, not a 500', async () => {
    const wallet = await createWallet(api.http);
    const nul = { wallet_id: wallet.id, amount: 1, description: 'a\u0000b' };
    await expectRestRefusal('/wallets/fund', nul, 422, /^description must not contain NUL/);
    const lone = { ...nul, description: 'a\ud800b' };
    await expectRestRefusal('/wallets/fund', lone, 422, /^description must be well-formed Unicode/);
    const call = () =>
      trpc.wallets.fund.mutate({ walletId: wallet.id, amount: 1, description: '\u0000' });
    await expectTrpcRefusal(call, 422, /^description must not contain NUL/);
  });
});

describe(`idempotency key: at most ${IDEMPOTENCY_KEY_LENGTH_MAX} characters`, () => {
  const message = exactly(
    `idempotencyKey must be at most ${IDEMPOTENCY_KEY_LENGTH_MAX} characters`,
  );

  it('REST: 255 characters are fine; 256 are a 422', async () => {
    const wallet = await createWallet(api.http);
    const ok = await api.http.post('/wallets/fund', {
      wallet_id: wallet.id,
      amount: 1,
      idempotencyKey: 'r'.repeat(255),
    });
    expect(ok.status, ok.text).toBe(200);
    const body = { wallet_id: wallet.id, amount: 1, idempotencyKey: 'r'.repeat(256) };
    await expectRestRefusal('/wallets/fund', body, 422, message);
  });

  it('tRPC: the same', async () => {
    const { id } = await trpc.wallets.create.mutate({});
    await trpc.wallets.fund.mutate({ walletId: id, amount: 1, idempotencyKey: 't'.repeat(255) });
    const call = () =>
      trpc.wallets.fund.mutate({ walletId: id, amount: 1, idempotencyKey: 't'.repeat(256) });
    await expectTrpcRefusal(call, 422, message);
  });
});

describe(`page size: 1 to ${PAGE_SIZE_MAX}`, () => {
  let wallet: WalletBody;
  beforeAll(async () => {
    wallet = await createWallet(api.http);
  });

  it('REST: limit=100 is a page; 101 and 0 are a 422', async () => {
    for (const base of ['/wallets', `/wallets/${wallet.id}/transactions`]) {
      const page = await api.http.get(`${base}?limit=${PAGE_SIZE_MAX}`);
      expect(page.status, page.text).toBe(200);
      const over = `${base}?limit=${PAGE_SIZE_MAX + 1}`;
      const under = `${base}?limit=0`;
      expect(expectRestError(await api.http.get(over), 422, over)).toBe(
        `limit must be at most ${PAGE_SIZE_MAX}`,
      );
      expect(expectRestError(await api.http.get(under), 422, under)).toBe(
        'limit must be at least 1',
      );
    }
  });

  it('tRPC: the same', async () => {
    await trpc.wallets.list.query({ limit: PAGE_SIZE_MAX });
    await trpc.wallets.transactions.query({ walletId: wallet.id, limit: PAGE_SIZE_MAX });
    await expectTrpcRefusal(
      () => trpc.wallets.list.query({ limit: PAGE_SIZE_MAX + 1 }),
      422,
      exactly(`limit must be at most ${PAGE_SIZE_MAX}`),
    );
    await expectTrpcRefusal(
      () => trpc.wallets.transactions.query({ walletId: wallet.id, limit: 0 }),
      422,
      exactly('limit must be at least 1'),
    );
  });
});

describe('amount: at most 9,999,999,999,999.99 USD, and no balance above it', () => {
  const tooLarge = exactly('amount must not exceed 9999999999999.99 (USD)');

  it('REST: the maximum into an empty wallet is fine; a cent more is a 422; a credit past the maximum balance is a 400', async () => {
    const full = await createWallet(api.http);
    const funded = await api.http.post('/wallets/fund', {
      wallet_id: full.id,
      amount: 9_999_999_999_999.99,
    });
    expect(funded.status, funded.text).toBe(200);
    expect(funded.text).toContain('"balance":9999999999999.99,');

    const empty = await createWallet(api.http);
    for (const amount of [10_000_000_000_000, '10000000000000.00']) {
      await expectRestRefusal('/wallets/fund', { wallet_id: empty.id, amount }, 422, tooLarge);
    }
    const overBalance = exactly(`Wallet ${full.id} cannot hold more than 9999999999999.99 USD`);
    await expectRestRefusal(
      '/wallets/fund',
      { wallet_id: full.id, amount: 0.01 },
      400,
      overBalance,
    );

    const sender = await createWallet(api.http);
    await api.http.post('/wallets/fund', { wallet_id: sender.id, amount: 1 });
    const transfer = { senderWalletId: sender.id, receiverWalletId: full.id, amount: 0.01 };
    await expectRestRefusal('/wallets/transfer', transfer, 400, overBalance);
  });

  it('tRPC: the same', async () => {
    const full = await trpc.wallets.create.mutate({});
    const { wallet } = await trpc.wallets.fund.mutate({
      walletId: full.id,
      amount: '9999999999999.99',
    });
    expect(wallet.balance).toBe('9999999999999.99');
    const empty = await trpc.wallets.create.mutate({});
    await expectTrpcRefusal(
      () => trpc.wallets.fund.mutate({ walletId: empty.id, amount: '10000000000000.00' }),
      422,
      tooLarge,
    );
    await expectTrpcRefusal(
      () => trpc.wallets.fund.mutate({ walletId: full.id, amount: '0.01' }),
      400,
      exactly(`Wallet ${full.id} cannot hold more than 9999999999999.99 USD`),
    );
  });
});

describe(`amount as text: at most ${AMOUNT_TEXT_LENGTH_MAX} characters`, () => {
  // 32 characters that are still 1.00: leading zeros count towards the length.
  const longest = `${'0'.repeat(AMOUNT_TEXT_LENGTH_MAX - 4)}1.00`;
  const message = exactly(
    `amount must be at most ${AMOUNT_TEXT_LENGTH_MAX} characters of decimal text`,
  );

  it('REST: 32 characters are read; 33 are a 422', async () => {
    expect(longest).toHaveLength(AMOUNT_TEXT_LENGTH_MAX);
    const wallet = await createWallet(api.http);
    const ok = await api.http.post('/wallets/fund', { wallet_id: wallet.id, amount: longest });
    expect(ok.status, ok.text).toBe(200);
    expect(expectFundResult(ok.body).balance).toBe(1);
    const body = { wallet_id: wallet.id, amount: `0${longest}` };
    await expectRestRefusal('/wallets/fund', body, 422, message);
  });

  it('tRPC: the same', async () => {
    const { id } = await trpc.wallets.create.mutate({});
    const { wallet } = await trpc.wallets.fund.mutate({ walletId: id, amount: longest });
    expect(wallet.balance).toBe('1.00');
    await expectTrpcRefusal(
      () => trpc.wallets.fund.mutate({ walletId: id, amount: `0${longest}` }),
      422,
      message,
    );
  });
});
