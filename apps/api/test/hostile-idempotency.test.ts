import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWallet, fundWallet, startApi, type RunningApi } from './support/api';
import {
  countWrites,
  expectRestClientError,
  PROPERTY_TIMEOUT_MS,
  runs,
  send,
  type RawResponse,
  type WriteCount,
} from './support/hostile';

/**
 * Idempotency under hostile input, property-based: any Idempotency-Key header with or
 * without a body key, on every REST write; and two credentials racing with one key.
 * The oracle: a header that is not a key, or a header and a body key that differ, is a
 * 422 that writes nothing; otherwise the write applies once, and its replay is a 409
 * naming what it did (never another credential's). Reproduce with HOSTILE_SEED=<seed>.
 */

let api: RunningApi;
let bearers: [string, string];
/** A funded USD wallet per credential, and one to receive. */
let wallets: { funded: [string, string]; receiver: string };

beforeAll(async () => {
  api = await startApi();
  const keyOf = async (name: string) =>
    (await api.access.createApiKey({ name, role: 'operator' }, { actor: 'system' })).apiKey;
  bearers = [`Bearer ${await keyOf('first')}`, `Bearer ${await keyOf('second')}`];
  const first = await createWallet(api.http);
  const second = await createWallet(api.http);
  await fundWallet(api.http, first.id, 100_000);
  await fundWallet(api.http, second.id, 100_000);
  wallets = { funded: [first.id, second.id], receiver: (await createWallet(api.http)).id };
});

afterAll(async () => {
  expect((await api.ledger.verify()).violations).toEqual([]);
  await api.close();
});

const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) =>
  String.fromCharCode(0x21 + index),
);
const KEY = /^[\x21-\x7e]{1,255}$/;

/** A key each run makes its own (a prefix fast-check cannot repeat), so each run is fresh. */
let runCounter = 0;
const freshKey = fc
  .string({ unit: fc.constantFrom(...PRINTABLE_ASCII), minLength: 1, maxLength: 30 })
  .map((key) => `${++runCounter}-${key}`);

/**
 * Header values a client can send (HTTP strips leading and trailing blanks, and refuses
 * control characters) that are not keys: inner blanks, Latin-1 letters, too long, empty.
 */
const notAKey = fc.oneof(
  fc.constant(''),
  fc
    .tuple(freshKey, fc.constantFrom(' ', '\t', 'é', 'ÿ', '\u00a0'), freshKey)
    .map(([a, bad, b]) => a + bad + b),
  fc.integer({ min: 256, max: 2_000 }).map((length) => 'k'.repeat(length)),
);

type BodyKey = 'none' | 'same' | 'other';

/** A write of each endpoint, with its key where `bodyKey` puts it. */
function writeOf(path: WritePath, key: string, bodyKey: BodyKey, amount: number) {
  const idempotencyKey =
    bodyKey === 'none' ? {} : { idempotencyKey: bodyKey === 'same' ? key : `${key}-x` };
  if (path === '/wallets') return { currency: 'EUR', ...idempotencyKey };
  if (path === '/wallets/fund') return { wallet_id: wallets.receiver, amount, ...idempotencyKey };
  const [sender] = wallets.funded;
  return { senderWalletId: sender, receiverWalletId: wallets.receiver, amount, ...idempotencyKey };
}

const WRITE_PATHS = ['/wallets', '/wallets/fund', '/wallets/transfer'] as const;
type WritePath = (typeof WRITE_PATHS)[number];

function postAs(bearer: string, path: string, body: unknown, header: string | undefined) {
  return send(api, path, {
    method: 'POST',
    headers: {
      authorization: bearer,
      'content-type': 'application/json',
      ...(header === undefined ? {} : { 'idempotency-key': header }),
    },
    body: JSON.stringify(body),
  });
}

/** What one accepted write adds to the counts. */
function afterWrite(before: WriteCount, path: WritePath): WriteCount {
  if (path === '/wallets') return { ...before, wallets: before.wallets + 1 };
  // Double entry: a funding is its FUND and the external account's FUND_COUNTER; a transfer its two legs.
  return { ...before, entries: before.entries + 2 };
}

/** What the accepted write made: a wallet's id, or its transaction's. */
function madeBy(path: WritePath, response: RawResponse): { field: string; id: string } {
  const body = response.json as { id?: string; transactionId?: string };
  return path === '/wallets'
    ? { field: 'wallet_id', id: body.id ?? '' }
    : { field: 'original_transaction_id', id: body.transactionId ?? '' };
}

describe('the Idempotency-Key header', () => {
  it(
    'any header with any body key: a 422 without a write, or one write and a 409 on replay',
    async () => {
      const header = fc.oneof(freshKey, notAKey);
      const bodyKey = fc.constantFrom<BodyKey>('none', 'same', 'other');
      const amount = fc.integer({ min: 1, max: 100 }).map((cents) => cents / 100);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...WRITE_PATHS),
          header,
          bodyKey,
          amount,
          async (path, key, where, money) => {
            const body = writeOf(path, key, where, money);
            const before = await countWrites(api.ledger);
            const first = await postAs(bearers[0], path, body, key);
            if (!KEY.test(key) || where === 'other') {
              expectRestClientError(first);
              expect(first.status, first.text).toBe(422);
              expect(await countWrites(api.ledger)).toEqual(before);
              return;
            }
            expect(first.status, first.text).toBe(path === '/wallets' ? 201 : 200);
            const made = madeBy(path, first);
            const written = afterWrite(before, path);
            expect(await countWrites(api.ledger)).toEqual(written);
            // The replay, with the key in the header alone.
            const replay = await postAs(bearers[0], path, writeOf(path, key, 'none', money), key);
            expectRestClientError(replay);
            expect(replay.json).toMatchObject({ [made.field]: made.id, same_request: true });
            expect(await countWrites(api.ledger)).toEqual(written);
          },
        ),
        runs(80),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('two credentials, one key', () => {
  it(
    'racing with the same key, both apply once; each 409 names only its own transaction',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...WRITE_PATHS),
          freshKey,
          fc.boolean(),
          async (path, key, sameBody) => {
            const bodies = [0, 1].map((owner) => {
              const body = writeOf(path, key, 'same', sameBody ? 0.01 : 0.01 * (owner + 1));
              if (path !== '/wallets/transfer') return body;
              return { ...body, senderWalletId: wallets.funded[owner] };
            });
            const before = await countWrites(api.ledger);
            const firsts = await Promise.all(
              bearers.map((bearer, owner) => postAs(bearer, path, bodies[owner], key)),
            );
            const made = firsts.map((response) => {
              expect(response.status, response.text).toBe(path === '/wallets' ? 201 : 200);
              return madeBy(path, response);
            });
            expect(made[0]?.id).not.toBe(made[1]?.id);
            expect(await countWrites(api.ledger)).toEqual(
              afterWrite(afterWrite(before, path), path),
            );
            // Each replays its own request, and then the other's, at once.
            const replays = await Promise.all(
              bearers.flatMap((bearer) => bodies.map((body) => postAs(bearer, path, body, key))),
            );
            for (const [index, replay] of replays.entries()) {
              const owner = Math.floor(index / 2);
              const own = made[owner];
              const theirs = made[1 - owner];
              expectRestClientError(replay);
              expect(replay.status).toBe(409);
              expect(replay.json).toMatchObject({ [own?.field ?? '']: own?.id });
              expect(replay.text).not.toContain(theirs?.id ?? 'none');
            }
            expect(await countWrites(api.ledger)).toEqual(
              afterWrite(afterWrite(before, path), path),
            );
          },
        ),
        runs(40),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
