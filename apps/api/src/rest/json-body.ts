import type { FastifyInstance } from 'fastify';
import { isSafeNumber, parse } from 'lossless-json';

import { MalformedJsonError } from '../errors';

/**
 * JSON bodies for the REST routes. `JSON.parse` would round `100.500000000000001` to 100.5
 * and a 30-digit integer to the nearest double before any validation could see them: money
 * that silently changed. Here a number a double holds exactly (its shortest text reads
 * back the same) becomes a plain number; any other reaches validation as its decimal
 * text, which the amount schema refuses as too precise or too large.
 */
export function parseJsonNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text;
}

/** An empty body is an empty object: `POST /wallets` with no body creates a USD wallet. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    // lossless-json also refuses a key given twice with different values, which
    // JSON.parse would resolve silently in favour of the last one.
    return parse(text, null, parseJsonNumber);
  } catch (error) {
    throw new MalformedJsonError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * JSON is the only body the REST routes read: every other media type is a 415. (The tRPC
 * plugin registers its own parsers in its own encapsulated context.)
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
