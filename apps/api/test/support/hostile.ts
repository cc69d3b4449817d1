import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';

import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import fc from 'fast-check';
import { expect } from 'vitest';

import { testEnv } from './env';

/**
 * Tools for the hostile-input properties: bounded runs, raw HTTP, the checks of both
 * error shapes, a write counter, and arbitraries of hostile strings, numbers and JSON
 * text. JSON is generated as text, not as values, so that it can hold what no
 * JavaScript value serialises to: numbers like 1e400 or -0, keys given twice,
 * `__proto__` as an ordinary key.
 */

// ---------------------------------------------------------------- running properties

/**
 * A property's time limit: each takes a few seconds here, but a loaded two-core machine
 * (CI, or a busy laptop) can take several times that; scaled with the runs.
 */
export const PROPERTY_TIMEOUT_MS = 60_000 * Math.max(1, testEnv.HOSTILE_RUNS_SCALE);

/** A fixed number of runs (scaled by HOSTILE_RUNS_SCALE), and HOSTILE_SEED's seed if set. */
export function runs<T>(numRuns: number): fc.Parameters<T> {
  const scaled = Math.max(1, Math.round(numRuns * testEnv.HOSTILE_RUNS_SCALE));
  return testEnv.HOSTILE_SEED === undefined
    ? { numRuns: scaled }
    : { numRuns: scaled, seed: testEnv.HOSTILE_SEED };
}

// ---------------------------------------------------------------- raw HTTP

export interface RawResponse {
  status: number;
  contentType: string | null;
  text: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown;
  /** The path and query as the request line carried them (after URL normalisation). */
  sentPath: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** One request exactly as given: no JSON encoding, no Content-Type unless given. */
export async function send(
  api: { baseUrl: string; keys: { admin: string } },
  path: string,
  { method = 'GET', headers = {}, body }: RawRequest = {},
): Promise<RawResponse> {
  const url = new URL(path, api.baseUrl);
  // As an admin: these tests are about input, not about who sends it.
  const withCredential = { authorization: `Bearer ${api.keys.admin}`, ...headers };
  const response = await fetch(url, { method, headers: withCredential, body: body ?? null });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json,
    sentPath: url.href.slice(url.origin.length),
  };
}

/** Percent-encodes every byte of the UTF-8 text but the unreserved ones (a lone surrogate becomes U+FFFD). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

// ---------------------------------------------------------------- the checks

const REST_ERROR_KEYS = ['error', 'message', 'path', 'statusCode', 'timestamp'];
/** Added to the documented shape for programs: a catalogue code, and facts when there are any. */
/** Added to the documented shape: a catalogue code, facts, and a used key's 409 fields. */
const ADDED_REST_ERROR_KEYS = [
  'code',
  'details',
  'original_transaction_id',
  'wallet_id',
  'same_request',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a failed check prints about the exchange: its start, not 50 KiB of it. */
function contextOf(response: RawResponse): string {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
  return `${cut(response.sentPath)} → ${response.status} ${cut(response.text)}`;
}

/**
 * A 4xx in the documented shape, all five keys and no others but the added `code` (of
 * the catalogue, with this status) and `details`, for the path as sent.
 */
export function expectRestClientError(response: RawResponse): void {
  const context = contextOf(response);
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  expect(response.contentType, context).toMatch(/^application\/json/);
  const body = response.json;
  if (!isRecord(body)) throw new Error(`not a JSON object: ${context}`);
  const documented = Object.keys(body).filter((key) => !ADDED_REST_ERROR_KEYS.includes(key));
  expect(documented.sort(), context).toEqual(REST_ERROR_KEYS);
  const code = body.code as ErrorCode;
  expect(ERROR_CODES, context).toContain(code);
  expect(ERROR_CATALOGUE[code].http, context).toBe(response.status);
  expect(body.statusCode, context).toBe(response.status);
  expect(body.error, context).toBe(STATUS_CODES[response.status]);
  expect(body.path, context).toBe(response.sentPath);
  expect(new Date(String(body.timestamp)).toISOString(), context).toBe(body.timestamp);
  expect(typeof body.message === 'string' && body.message.length > 0, context).toBe(true);
}

/** What tRPC's error envelope says, superjson-wrapped: `{ error: { json: { message, code, data } } }`. */
export interface TrpcErrorData {
  code: string;
  httpStatus: number;
  message: string;
}

function trpcErrorOf(item: unknown, context: string): TrpcErrorData {
  const json = isRecord(item) && isRecord(item.error) ? item.error.json : undefined;
  const data = isRecord(json) ? json.data : undefined;
  if (!isRecord(json) || !isRecord(data)) throw new Error(`not a tRPC error: ${context}`);
  const { message } = json;
  const { code, httpStatus } = data;
  if (typeof message !== 'string' || typeof code !== 'string' || typeof httpStatus !== 'number') {
    throw new Error(`a tRPC error without message, code or status: ${context}`);
  }
  expect(message.length, context).toBeGreaterThan(0);
  expect(typeof json.code, context).toBe('number');
  return { code, httpStatus, message };
}

/**
 * A tRPC error, or one per call of a batch, each with a 4xx `data.httpStatus`. The HTTP
 * status is theirs, or 207 when a batch's calls failed with different statuses.
 */
export function expectTrpcClientErrors(response: RawResponse): TrpcErrorData[] {
  const context = contextOf(response);
  const items = Array.isArray(response.json) ? response.json : [response.json];
  const errors = items.map((item) => trpcErrorOf(item, context));
  for (const error of errors) {
    expect(error.httpStatus, context).toBeGreaterThanOrEqual(400);
    expect(error.httpStatus, context).toBeLessThan(500);
    if (response.status !== 207) expect(error.httpStatus, context).toBe(response.status);
  }
  expect(
    response.status === 207 || (response.status >= 400 && response.status < 500),
    context,
  ).toBe(true);
  return errors;
}

// ---------------------------------------------------------------- writes

export interface WriteCount {
  wallets: number;
  entries: number;
}

/**
 * The clients' wallets and every ledger entry (the external accounts' counter-entries
 * too), counted in one snapshot: any write changes one of them.
 */
export async function countWrites(ledger: Ledger): Promise<WriteCount> {
  const report = await ledger.verify();
  return { wallets: report.walletCount, entries: report.entryCount + report.externalEntryCount };
}

// ---------------------------------------------------------------- hostile strings

export const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];
const BIDI = ['\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u2069'];
const CONTROL = [
  '\u0000',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0085',
];
const SPACES = [' ', '\u00a0', '\u2028', '\u2029', '\u3000'];

/** Strings that have broken parsers, validators and databases before. */
const TRICKY = [
  ...['', 'NaN', '-NaN', 'nan', 'Infinity', '-Infinity', 'undefined', 'null', 'true', 'false'],
  ...['0', '-0', '+0', '0.0', '-0.00', '1e400', '-1e400', '1e-400', '1E2', '0x1F', '0b11', '0o7'],
  ...['1_000', '1,50', '١٢٣', '１２３', '½', '1.', '.5', '00001', '9999999999999.995'],
  ...['10000000000000', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'],
  ...['{}', '[]', '"', '\\', "' OR 1=1 --", '%00', '%zz', '../', 'USD', 'usd', 'USD ', 'EUR\u200b'],
  ...['ß', 'İ', '😀', '👨‍👩‍👧‍👦', 'e\u0301', 'שלום', 'مرحبا', '${x}', '{{x}}', '<script>'],
];

const hostileUnit = fc.constantFrom(
  ...LONE_SURROGATES,
  ...INVISIBLE,
  ...BIDI,
  ...CONTROL,
  ...SPACES,
  ...['a', 'Z', '0', '1', '9', '.', '-', '+', 'e', '"', '\\', '😀'],
);

/** Hostile strings short enough for a URL. */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY, ...LONE_SURROGATES, ...INVISIBLE, ...BIDI, ...CONTROL, ...SPACES),
  fc.string({ unit: hostileUnit, maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** Long strings: past every length limit, in one- and two-unit characters. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 200, max: 3000 }), fc.constantFrom('x', '😀', '\u200b', '\ud800', 'é'))
  .map(([count, char]) => char.repeat(count));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: shortHostileString, weight: 4 },
  { arbitrary: longString, weight: 1 },
);

// ---------------------------------------------------------------- hostile JSON text

/** `-0` stays `-0`; every finite double prints as valid JSON number text. */
function numberText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** JSON number texts: exponents past a double's range, negative zero, more digits than a double holds. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...['0', '-0', '0.0', '-0.0', '1e400', '-1e400', '1e-400', '-1e-400', '1E+2', '1e-2'],
    ...['100.500000000000001', '123456789012345678901234567890', '9007199254740993', '4.35'],
    ...['9999999999999.99', '9999999999999.991', '10000000000000', '999999999999999', '1e21'],
    ...['0.001', '0.005', '5e-324', '1.7976931348623157e308', '0.1', '1', '-1', '1.0e0'],
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(numberText),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc
    .record({
      digits: fc.bigInt({ min: 0n, max: 10n ** 20n }),
      point: fc.nat(20),
      exponent: fc.option(fc.integer({ min: -999, max: 999 }), { nil: undefined }),
      negative: fc.boolean(),
    })
    .map(({ digits, point, exponent, negative }) => {
      const text = digits.toString();
      const cut = Math.min(point, text.length - 1);
      const mantissa = cut > 0 ? `${text.slice(0, -cut)}.${text.slice(-cut)}` : text;
      return `${negative ? '-' : ''}${mantissa}${exponent === undefined ? '' : `e${exponent}`}`;
    }),
);

/** Every key of every input, keys no input has, and keys that are properties of every object. */
export const JSON_KEYS = [
  ...['amount', 'wallet_id', 'walletId', 'senderWalletId', 'receiverWalletId', 'idempotencyKey'],
  ...['description', 'currency', 'cursor', 'limit', 'type', 'id', 'json', 'meta', 'values', '0'],
  ...['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', ''],
];

export const jsonKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...JSON_KEYS), weight: 3 },
  { arbitrary: shortHostileString, weight: 1 },
);

export function jsonStringText(value: string): string {
  // JSON.stringify escapes a lone surrogate as \udXXX, so the text stays valid UTF-8.
  return JSON.stringify(value);
}

export function objectText(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([key, value]) => `${jsonStringText(key)}:${value}`).join(',')}}`;
}

/** Any JSON text, a few levels deep, with hostile leaves and keys (some given twice). */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  leaf: string;
  array: string;
  object: string;
}>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(
    hostileString.map(jsonStringText),
    hostileNumberText,
    fc.constantFrom('true', 'false', 'null'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(jsonKey, tie('value')), { maxLength: 5 }).map(objectText),
})).value;

/** Arrays, objects or both nested `depth` deep: around the depth limit, and thousands past it. */
export const deeplyNestedText: fc.Arbitrary<{ depth: number; text: string }> = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 12_000 })),
    shape: fc.constantFrom('array', 'object', 'mixed'),
  })
  .map(({ depth, shape }) => {
    const open = (level: number) =>
      shape === 'array' || (shape === 'mixed' && level % 2 === 0) ? '[' : '{"a":';
    let opening = '';
    let closing = '';
    for (let level = 0; level < depth; level++) {
      const bracket = open(level);
      opening += bracket;
      closing = (bracket === '[' ? ']' : '}') + closing;
    }
    return { depth, text: `${opening}0${closing}` };
  });

/** Byte sequences that are not UTF-8: stray continuations, overlongs, surrogates, past U+10FFFF, cut short. */
export const invalidUtf8: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .constantFrom(
      ...[[0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80]],
      ...[
        [0xed, 0xa0, 0x80],
        [0xed, 0xbf, 0xbf],
        [0xf4, 0x90, 0x80, 0x80],
        [0xf5, 0x80, 0x80, 0x80],
      ],
      ...[[0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3]],
    )
    .map((bytes) => Uint8Array.from(bytes)),
  fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((bytes) => bytes.map((byte, index) => (index === 0 ? byte | 0x80 : byte)))
    .filter((bytes) => !isUtf8(bytes)),
);

/** Content types, JSON and not, well-formed and not. */
export const contentTypes = fc.constantFrom(
  ...['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'],
  ...['application/json; charset=latin1', 'text/plain', 'text/json', 'application/jsonx'],
  ...['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'],
  ...['application/octet-stream', 'application/vnd.api+json', 'application/json, text/plain'],
  ...['*/*', 'application', 'json', ';', 'application/json; boundary="'],
);

// ---------------------------------------------------------------- poisoned inputs

/** A field of an input: values it accepts, values it refuses whatever else is sent, whether it must be there. */
export interface FieldArbitraries<V> {
  valid: fc.Arbitrary<V>;
  invalid: fc.Arbitrary<V>;
  required: boolean;
}

export type Poison =
  | { kind: 'invalid'; field: string }
  | { kind: 'missing'; field: string }
  | { kind: 'unknown key'; key: string };

/**
 * An input that breaks its contract in at least one way (the poison, named in the
 * counterexample), every other field anything from valid to hostile: so a 2xx, or a
 * write, can only mean the poison was let through.
 */
export function poisonedEntries<V>(
  fields: Record<string, FieldArbitraries<V>>,
  unknownKey: fc.Arbitrary<string>,
  anyValue: fc.Arbitrary<V>,
): fc.Arbitrary<{ poison: Poison; entries: [string, V][] }> {
  const names = Object.keys(fields);
  const field = (name: string): FieldArbitraries<V> => {
    const spec = fields[name];
    if (!spec) throw new Error(`no field ${name}`);
    return spec;
  };
  const required = names.filter((name) => field(name).required);
  const poisons: fc.Arbitrary<{ poison: Poison; value?: V }>[] = [
    fc.constantFrom(...names).chain((name) =>
      field(name).invalid.map((value) => ({
        poison: { kind: 'invalid', field: name },
        value,
      })),
    ),
    fc
      .tuple(
        unknownKey.filter((key) => !names.includes(key)),
        anyValue,
      )
      .map(([key, value]) => ({ poison: { kind: 'unknown key', key }, value })),
  ];
  if (required.length > 0) {
    poisons.push(
      fc.constantFrom(...required).map((name) => ({ poison: { kind: 'missing', field: name } })),
    );
  }
  // Mostly valid, so that the poison is often the only thing wrong.
  const others = fc.tuple(
    ...names.map((name) =>
      fc.option(fc.oneof({ arbitrary: field(name).valid, weight: 3 }, field(name).invalid), {
        nil: undefined,
        freq: field(name).required ? 10 : 2,
      }),
    ),
  );
  return fc
    .record({ chosen: fc.oneof(...poisons), others, at: fc.nat() })
    .map(({ chosen, others: values, at }) => {
      const { poison } = chosen;
      const entries: [string, V][] = [];
      names.forEach((name, index) => {
        if (poison.kind !== 'unknown key' && poison.field === name) {
          if (poison.kind === 'invalid') entries.push([name, chosen.value as V]);
          return;
        }
        const value = values[index];
        if (value !== undefined) entries.push([name, value]);
      });
      if (poison.kind === 'unknown key') {
        entries.splice(at % (entries.length + 1), 0, [poison.key, chosen.value as V]);
      }
      return { poison, entries };
    });
}

/**
 * JSON number literals no double holds exactly, as text: 17 or more significant digits,
 * odd integers past 2^53, and exponents below the smallest double. Parsed naively they
 * would round to a valid-looking amount.
 */
export const unrepresentableNumberText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1, max: 99_999 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 15, max: 25 }),
    )
    .map(([whole, last, zeros]) => `${whole}.${'0'.repeat(zeros)}${last}`),
  fc
    .bigInt({ min: 2n ** 53n + 1n, max: 10n ** 30n })
    .filter((n) => n % 2n === 1n)
    .map(String),
  fc.integer({ min: 325, max: 100_000 }).map((exponent) => `1e-${exponent}`),
);
