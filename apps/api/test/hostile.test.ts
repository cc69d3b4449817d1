import { isUtf8 } from 'node:buffer';

import { CURRENCY_CODES, REQUEST_BODY_BYTES_MAX } from '@wallet/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWallet, fundWallet, startApi, UUID, type RunningApi } from './support/api';
import {
  contentTypes,
  countWrites,
  deeplyNestedText,
  expectRestClientError,
  invalidUtf8,
  jsonKey,
  jsonStringText,
  jsonText,
  hostileNumberText,
  hostileString,
  longString,
  LONE_SURROGATES,
  objectText,
  percentEncode,
  poisonedEntries,
  PROPERTY_TIMEOUT_MS,
  runs,
  send,
  shortHostileString,
  type FieldArbitraries,
  type RawRequest,
  type RawResponse,
  type WriteCount,
  unrepresentableNumberText,
} from './support/hostile';

/**
 * Hostile input over REST, property-based: random and malformed bodies, paths and
 * queries. Each must get a 4xx in the documented shape (never a 5xx) and write nothing.
 * Where a random input can be valid by chance, an oracle says so, and only then is a 2xx
 * (and its one write) allowed. Reproduce a failure with HOSTILE_SEED=<its seed>.
 */

let api: RunningApi;
/** Two USD wallets holding 1,000.00 each, an empty one, and a EUR one with 1,000.00. */
let funded: [string, string];
let empty: string;
let euro: string;

beforeAll(async () => {
  api = await startApi();
  const first = await createWallet(api.http);
  const second = await createWallet(api.http);
  funded = [first.id, second.id];
  for (const id of funded) await fundWallet(api.http, id, 1000);
  empty = (await createWallet(api.http)).id;
  euro = (await createWallet(api.http, 'EUR')).id;
  await fundWallet(api.http, euro, 1000);
});

afterAll(async () => {
  // Whatever was sent, the ledger still reconciles.
  expect((await api.ledger.verify()).violations).toEqual([]);
  await api.close();
});

const post = (body: RawRequest['body'], contentType = 'application/json'): RawRequest => ({
  method: 'POST',
  headers: { 'content-type': contentType },
  ...(body === undefined ? {} : { body }),
});

/** Sends, checks for a 4xx in the documented shape, and checks that nothing was written. */
async function expectRefusedWithoutWrite(path: string, request: RawRequest): Promise<RawResponse> {
  const before = await countWrites(api.ledger);
  const response = await send(api, path, request);
  expectRestClientError(response);
  expect(await countWrites(api.ledger)).toEqual(before);
  return response;
}

// ---------------------------------------------------------------- field arbitraries (JSON text)

/** JSON that is not a string: numbers, literals, arrays, objects. */
const nonStringJson: fc.Arbitrary<string> = fc.oneof(
  hostileNumberText,
  fc.constantFrom('true', 'false', 'null', '[]', '{}'),
  jsonText.filter((text) => !text.startsWith('"')),
);

function walletIdField(ids: () => string[]): FieldArbitraries<string> {
  return {
    valid: fc.nat().map((index) => jsonStringText(ids()[index % ids().length] ?? '')),
    invalid: fc.oneof(
      fc.uuid().map(jsonStringText), // well-formed, but names no wallet: a 404
      shortHostileString.filter((text) => !UUID.test(text)).map(jsonStringText),
      longString.map(jsonStringText),
      fc.nat().map((index) => jsonStringText(` ${funded[index % 2] ?? ''}`)),
      nonStringJson,
    ),
    required: true,
  };
}

/** Positive amounts, at most two decimals, as JSON numbers or decimal text. */
const validAmount = fc
  .tuple(fc.integer({ min: 1, max: 50_000 }), fc.boolean())
  .map(([cents, asText]) => {
    const text = `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    return asText ? jsonStringText(text) : text;
  });

/** Could this text be read as a positive decimal? (The complement is refused for sure.) */
const DECIMAL_LIKE = /^\s*\d+(\.\d+)?\s*$/;

const invalidAmount: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...['0', '-0', '0.0', '-0.0', '-1', '-0.01', '0.001', '1.001', '0.005', '1e400', '-1e400'],
    ...['1e-400', '1e-7', '5e-324', '10000000000000', '10000000000000.00', '1e21', '1e+21'],
    ...['123456789012345678901234567890', '100.500000000000001', '9999999999999.999'],
  ),
  fc.double({ max: 0, noNaN: true, noDefaultInfinity: true }).map((value) => String(value)),
  fc.double({ min: 1e13, noNaN: true, noDefaultInfinity: true }).map((value) => String(value)),
  fc
    .tuple(fc.nat(1_000_000), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 3, max: 12 }))
    .map(([whole, last, places]) => `${whole}.${'0'.repeat(places - 1)}${last}`),
  shortHostileString.filter((text) => !DECIMAL_LIKE.test(text)).map(jsonStringText),
  longString.map(jsonStringText),
  nonStringJson.filter((text) => !/^-?\d/.test(text)),
);

const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) =>
  String.fromCharCode(0x21 + index),
);
const validKey = fc.string({
  unit: fc.constantFrom(...PRINTABLE_ASCII),
  minLength: 1,
  maxLength: 40,
});

const idempotencyKeyField: FieldArbitraries<string> = {
  valid: validKey.map(jsonStringText),
  invalid: fc.oneof(
    fc.constant('""'),
    fc
      .tuple(
        validKey,
        fc.constantFrom(' ', 'é', '\u0000', '\u200b', '\t', '😀', ...LONE_SURROGATES),
      )
      .map(([key, bad]) => jsonStringText(key + bad)),
    fc.integer({ min: 256, max: 2000 }).map((length) => jsonStringText('k'.repeat(length))),
    nonStringJson,
  ),
  required: false,
};

const descriptionField: FieldArbitraries<string> = {
  valid: fc.string({ unit: 'grapheme', maxLength: 40 }).map(jsonStringText),
  invalid: fc.oneof(
    fc
      .tuple(fc.integer({ min: 501, max: 2000 }), fc.constantFrom('x', '😀', 'é', '\u200f'))
      .map(([length, char]) => jsonStringText(char.repeat(length))),
    fc
      .tuple(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.constantFrom('\u0000', ...LONE_SURROGATES),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
      )
      .map(([before, bad, after]) => jsonStringText(before + bad + after)),
    nonStringJson,
  ),
  required: false,
};

const currencyField: FieldArbitraries<string> = {
  valid: fc.constantFrom(...CURRENCY_CODES).map(jsonStringText),
  invalid: fc.oneof(
    hostileString
      .filter((text) => !(CURRENCY_CODES as readonly string[]).includes(text))
      .map(jsonStringText),
    nonStringJson,
  ),
  required: false,
};

const ENDPOINTS = {
  '/wallets': { currency: currencyField, idempotencyKey: idempotencyKeyField },
  '/wallets/fund': {
    wallet_id: walletIdField(() => [...funded, empty]),
    amount: { valid: validAmount, invalid: invalidAmount, required: true },
    idempotencyKey: idempotencyKeyField,
    description: descriptionField,
  },
  '/wallets/transfer': {
    senderWalletId: walletIdField(() => funded),
    receiverWalletId: walletIdField(() => [...funded, empty]),
    amount: { valid: validAmount, invalid: invalidAmount, required: true },
    idempotencyKey: idempotencyKeyField,
    description: descriptionField,
  },
} satisfies Record<string, Record<string, FieldArbitraries<string>>>;

type WritePath = keyof typeof ENDPOINTS;
const writePaths = Object.keys(ENDPOINTS) as WritePath[];

/** A body for one of the write endpoints with at least one thing wrong in it. */
const poisonedBody = fc.constantFrom(...writePaths).chain((path) =>
  poisonedEntries<string>(ENDPOINTS[path], jsonKey, jsonText).map(({ poison, entries }) => ({
    path,
    poison,
    text: objectText(entries),
  })),
);

// ---------------------------------------------------------------- the properties

describe('POST bodies', () => {
  it(
    'a body with a wrong, missing or unknown field is a 4xx and writes nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(poisonedBody, async ({ path, text }) => {
          await expectRefusedWithoutWrite(path, post(text));
        }),
        runs(250),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'any JSON at all is a 4xx, or (POST /wallets only) a wallet when the oracle says it is valid',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...writePaths), jsonText, async (path, text) => {
          const before = await countWrites(api.ledger);
          const response = await send(api, path, post(text));
          const expected: WriteCount = { ...before };
          if (response.status === 201) {
            expect(path).toBe('/wallets');
            expect(isValidCreateWalletBody(text), text).toBe(true);
            expected.wallets++;
          } else {
            expectRestClientError(response);
          }
          expect(await countWrites(api.ledger)).toEqual(expected);
        }),
        runs(250),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a transfer the ledger must refuse (same wallet, too little money, two currencies) is a 400',
    async () => {
      const refusal = fc.oneof(
        fc.nat().map((index) => {
          const wallet = funded[index % 2] ?? '';
          return { senderWalletId: wallet, receiverWalletId: wallet, amount: 1 };
        }),
        fc.integer({ min: 1, max: 100_000 }).map((cents) => ({
          senderWalletId: empty,
          receiverWalletId: funded[0],
          amount: cents / 100,
        })),
        fc.integer({ min: 100_001, max: 10_000_000 }).map((cents) => ({
          senderWalletId: funded[1],
          receiverWalletId: empty,
          amount: cents / 100,
        })),
        fc.constant({ senderWalletId: funded[0], receiverWalletId: euro, amount: 1 }),
      );
      await fc.assert(
        fc.asyncProperty(refusal, async (body) => {
          const { status } = await expectRefusedWithoutWrite(
            '/wallets/transfer',
            post(JSON.stringify(body)),
          );
          expect(status).toBe(400);
        }),
        runs(60),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

/** POST /wallets is valid for an object holding at most a supported currency and a key. */
function isValidCreateWalletBody(text: string): boolean {
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { currency, idempotencyKey, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return false;
  const validKey =
    idempotencyKey === undefined ||
    (typeof idempotencyKey === 'string' && /^[\x21-\x7e]{1,255}$/.test(idempotencyKey));
  return (
    validKey &&
    (currency === undefined || (CURRENCY_CODES as readonly unknown[]).includes(currency))
  );
}

describe('JSON numbers', () => {
  it(
    'a number is never text: in a string field it is the wrong type, however many digits it has',
    async () => {
      // The lossless parser keeps a number no double holds as its text; that text must not
      // pass for a string (it once did: {"idempotencyKey": 1e400} funded with the key "1e400").
      const stringField = fc.constantFrom('description', 'idempotencyKey');
      await fc.assert(
        fc.asyncProperty(hostileNumberText, stringField, async (number, field) => {
          const text = `{"wallet_id":"${funded[0]}","amount":"1.00","${field}":${number}}`;
          const response = await expectRefusedWithoutWrite('/wallets/fund', post(text));
          expect(response.status).toBe(422);
          expect((response.json as { message: string }).message).toBe(`${field} must be a string`);
        }),
        runs(100),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a number no double holds reaches the amount as written: refused, never rounded into a valid one',
    async () => {
      const unrepresentable = fc.oneof(
        unrepresentableNumberText,
        fc.integer({ min: 309, max: 100_000 }).map((exponent) => `1e${exponent}`),
      );
      await fc.assert(
        fc.asyncProperty(unrepresentable, async (number) => {
          const text = `{"wallet_id":"${funded[0]}","amount":${number}}`;
          const { status } = await expectRefusedWithoutWrite('/wallets/fund', post(text));
          expect(status).toBe(422);
        }),
        runs(60),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('the transport', () => {
  /** Bodies that no endpoint accepts, so any status but a 4xx is wrong whatever the framing. */
  const refusedBody = fc.oneof(
    poisonedBody.map(({ path, text }) => ({ path, text })),
    fc.record({ path: fc.constantFrom('/wallets/fund', '/wallets/transfer'), text: jsonText }),
  );

  it(
    'every content type, JSON or not, is a 4xx for a body no endpoint accepts',
    async () => {
      await fc.assert(
        fc.asyncProperty(refusedBody, contentTypes, async ({ path, text }, contentType) => {
          await expectRefusedWithoutWrite(path, post(text, contentType));
        }),
        runs(120),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'nesting past the depth limit is a 400, within it a 422, over the body limit a 413',
    async () => {
      const nested = fc.record({
        path: fc.constantFrom(...writePaths),
        nesting: deeplyNestedText,
        where: fc.constantFrom('root', 'amount', 'unknown key'),
      });
      await fc.assert(
        fc.asyncProperty(nested, async ({ path, nesting, where }) => {
          const text =
            where === 'root'
              ? nesting.text
              : `{"${where === 'amount' ? 'amount' : 'nested'}":${nesting.text}}`;
          const depth = nesting.depth + (where === 'root' ? 0 : 1);
          const { status } = await expectRefusedWithoutWrite(path, post(text));
          if (Buffer.byteLength(text) > REQUEST_BODY_BYTES_MAX) expect(status).toBe(413);
          else if (depth > 32) expect(status).toBe(400);
          else expect(status).toBe(422);
        }),
        runs(100),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'bytes that are not UTF-8 are a 400, even in a body that is otherwise a valid funding',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          invalidUtf8,
          fc.constantFrom('description', 'idempotencyKey', 'unknown'),
          fc
            .string({ unit: 'grapheme-ascii', maxLength: 8 })
            .map((text) => text.replace(/["\\]/g, '')),
          async (bytes, field, padding) => {
            const body = Buffer.concat([
              Buffer.from(`{"wallet_id":"${funded[0]}","amount":1,"${field}":"${padding}`),
              bytes,
              Buffer.from(`${padding}"}`),
            ]);
            expect(isUtf8(body)).toBe(false);
            const { status } = await expectRefusedWithoutWrite('/wallets/fund', post(body));
            expect(status).toBe(400);
          },
        ),
        runs(100),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a body over the limit is a 413, whatever its content',
    async () => {
      const oversized = fc.record({
        path: fc.constantFrom(...writePaths),
        extra: fc.integer({ min: 1, max: 3 * REQUEST_BODY_BYTES_MAX }),
        fill: fc.constantFrom(' ', 'x', '😀'),
      });
      await fc.assert(
        fc.asyncProperty(oversized, async ({ path, extra, fill }) => {
          const prefix = `{"currency":"USD","description":"`;
          const fillBytes = Buffer.byteLength(fill);
          const count = Math.ceil((REQUEST_BODY_BYTES_MAX + extra - prefix.length - 2) / fillBytes);
          const text = `${prefix}${fill.repeat(count)}"}`;
          expect(Buffer.byteLength(text)).toBeGreaterThan(REQUEST_BODY_BYTES_MAX);
          const { status } = await expectRefusedWithoutWrite(path, post(text));
          expect(status).toBe(413);
        }),
        runs(30),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

// ---------------------------------------------------------------- GET

/** Path segments that name no wallet: not UUIDs, unknown UUIDs, bad %-escapes, too long. */
const badIdSegment = fc.oneof(
  shortHostileString.filter((text) => !UUID.test(text) && text !== '').map(percentEncode),
  fc.uuid(),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%80', '%ED%A0%80', '%00', '%FF', '..%2F..'),
  fc.integer({ min: 37, max: 400 }).map((length) => 'a'.repeat(length)),
);

const ENTRY_TYPES = ['FUND', 'TRANSFER_IN', 'TRANSFER_OUT'];

/** Is this query value a page size the API takes? (It coerces, as `Number` does.) */
function isPageSize(value: string): boolean {
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 && number <= 100;
}

/** One query parameter that is wrong whatever else the query holds. */
const badQueryParameter = (cursorIsValid: (text: string) => boolean) =>
  fc.oneof(
    fc
      .oneof(
        fc.constantFrom('0', '-1', '101', '1e400', '1.5', 'NaN', '', ' ', 'ten', '100.5', '1e3'),
        shortHostileString,
      )
      .filter((value) => !isPageSize(value))
      .map((value) => ['limit', value] as const),
    shortHostileString
      .filter((value) => !cursorIsValid(value))
      .map((value) => ['cursor', value] as const),
    shortHostileString
      .filter((value) => !ENTRY_TYPES.includes(value))
      .map((value) => ['type', value] as const),
    jsonKey
      .filter((key) => !['limit', 'cursor', 'type'].includes(key) && key !== '')
      .map((key) => [key, 'x'] as const),
    fc.constantFrom('limit', 'cursor', 'type').map((key) => [key, 'twice'] as const), // given twice below
  );

/** Any query parameters at all, to go with the bad one. */
const anyQueryParameter = fc.tuple(
  fc.oneof(fc.constantFrom('limit', 'cursor', 'type'), jsonKey),
  fc.oneof(fc.constantFrom('5', '100', 'FUND', '1'), shortHostileString),
);

function queryText(parameters: readonly (readonly [string, string])[]): string {
  return parameters
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}

function withBadParameter(
  bad: readonly [string, string],
  others: readonly (readonly [string, string])[],
  at: number,
): (readonly [string, string])[] {
  const parameters = [...others];
  const [key, value] = bad;
  // "twice": the key given twice, which makes its value an array.
  const inserted: (readonly [string, string])[] =
    value === 'twice'
      ? [
          [key, '5'],
          [key, '5'],
        ]
      : [bad];
  parameters.splice(at % (parameters.length + 1), 0, ...inserted);
  return parameters;
}

describe('GET paths and queries', () => {
  it(
    'GET /wallets/:id with an id that names no wallet is a 400, 404 or 414',
    async () => {
      await fc.assert(
        fc.asyncProperty(badIdSegment, fc.boolean(), async (segment, history) => {
          const path = `/wallets/${segment}${history ? '/transactions' : ''}`;
          await expectRefusedWithoutWrite(path, {});
        }),
        runs(150),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'GET /wallets and /wallets/:id/transactions with a bad query parameter are a 422',
    async () => {
      const listQuery = fc.record({
        history: fc.boolean(),
        bad: badQueryParameter((text) => UUID.test(text)),
        badHistory: badQueryParameter((text) => /^[1-9]\d{0,15}$/.test(text)),
        others: fc.array(anyQueryParameter, { maxLength: 3 }),
        at: fc.nat(),
      });
      await fc.assert(
        fc.asyncProperty(listQuery, async ({ history, bad, badHistory, others, at }) => {
          const path = history
            ? `/wallets/${funded[0]}/transactions?${queryText(withBadParameter(badHistory, others, at))}`
            : `/wallets?${queryText(withBadParameter(bad, others, at))}`;
          const { status } = await expectRefusedWithoutWrite(path, {});
          expect(status).toBe(422);
        }),
        runs(200),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
