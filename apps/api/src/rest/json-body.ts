import { isUtf8 } from 'node:buffer';

import { JSON_NESTING_DEPTH_MAX, JsonNumberText } from '@wallet/contract';
import type { FastifyInstance } from 'fastify';
import { isSafeNumber, parse } from 'lossless-json';

import { MalformedJsonError } from '../errors';

/**
 * JSON bodies for the REST routes. `JSON.parse` would round `100.500000000000001` to 100.5
 * and a 30-digit integer to the nearest double before any validation could see them: money
 * that silently changed. Here a number a double holds exactly (its shortest text reads
 * back the same) becomes a plain number; any other reaches validation as its decimal
 * text, which the amount schema refuses as too precise or too large. That text stays
 * wrapped as a number (JsonNumberText): as a bare string it would pass for text in a
 * field that takes strings, `{"idempotencyKey": 1e400}` for the key "1e400".
 */
export function parseJsonNumber(text: string): number | JsonNumberText {
  return isSafeNumber(text) ? Number(text) : new JsonNumberText(text);
}

/** An empty body is an empty object: `POST /wallets` with no body creates a USD wallet. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  // lossless-json parses recursively: a body of 16 KiB of `[` would overflow its stack.
  // Measured first, a body nested too deep never reaches it.
  const depth = nestingDepthOf(text);
  if (depth > JSON_NESTING_DEPTH_MAX) {
    throw new MalformedJsonError(`nested deeper than ${JSON_NESTING_DEPTH_MAX} levels`);
  }
  try {
    // lossless-json also refuses a key given twice with different values, which
    // JSON.parse would resolve silently in favour of the last one.
    return parse(text, null, parseJsonNumber);
  } catch (error) {
    // Only its syntax errors are the client's fault; anything else is a bug of ours (a 500).
    if (!(error instanceof SyntaxError)) throw error;
    throw new MalformedJsonError(error.message);
  }
}

/** What `JSON.parse` resolves without a word: the last of two values for a key wins, and a number is rounded to a double. */
export type SilentResolution =
  { kind: 'duplicate key'; key: string } | { kind: 'inexact number'; number: string };

/**
 * The first thing in JSON text that a parser reading it as `JSON.parse` does (tRPC's)
 * would resolve silently: a key given twice with different values, or a number no
 * double holds. Text that is not JSON, or is nested past the limit, has none here: its
 * parser refuses it anyway.
 */
export function silentResolutionIn(text: string): SilentResolution | undefined {
  if (nestingDepthOf(text) > JSON_NESTING_DEPTH_MAX) return undefined;
  let found: SilentResolution | undefined;
  try {
    parse(text, null, {
      parseNumber: (number) => {
        if (!isSafeNumber(number)) found ??= { kind: 'inexact number', number };
        // As its text, but not a string: 1 and "1" under one key are two values.
        return new JsonNumberText(number);
      },
      onDuplicateKey: ({ key, newValue }) => {
        found ??= { kind: 'duplicate key', key };
        return newValue;
      },
    });
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return undefined;
  }
  return found;
}

const OPENING_BRACKET = 0x5b; // [
const CLOSING_BRACKET = 0x5d; // ]
const OPENING_BRACE = 0x7b; // {
const CLOSING_BRACE = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest nesting of arrays and objects in JSON text, in one pass without recursion;
 * brackets inside strings do not count. Malformed text gets a number too: the parser
 * refuses it afterwards.
 */
export function nestingDepthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPENING_BRACKET || code === OPENING_BRACE) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (code === CLOSING_BRACKET || code === CLOSING_BRACE) {
      depth--;
    }
  }
  return deepest;
}

/**
 * JSON is the only body the REST routes read: every other media type is a 415. (The tRPC
 * plugin registers its own parsers in its own encapsulated context.) JSON travels as
 * UTF-8 (RFC 8259, section 8.1): a body that is not is a 400, never decoded with U+FFFD
 * in place of its bad bytes (a description sent with one would be stored altered).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      if (!isUtf8(bytes)) throw new MalformedJsonError(NOT_UTF8);
      done(null, parseJsonBody(bytes.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

const NOT_UTF8 = 'the body is not valid UTF-8';

/**
 * The same check for the tRPC scope, whose procedures read JSON text (tRPC parses it):
 * a JSON body that is not UTF-8 is a 400, never decoded with U+FFFD in place of its bad
 * bytes; one that is reaches tRPC as text. Multipart bodies pass as streams, as tRPC's
 * own adapter registers them.
 */
export function registerJsonTextParser(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (isUtf8(bytes)) done(null, bytes.toString('utf8'));
    else done(new MalformedJsonError(NOT_UTF8), undefined);
  });
  scope.addContentTypeParser('multipart/form-data', (_request, payload, done) => {
    done(null, payload);
  });
}
