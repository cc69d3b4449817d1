import type { preValidationHookHandler } from 'fastify';

/**
 * `metadata[key]=value` in a query string. Fastify's query parser keeps a bracketed key as
 * it is (`"metadata[owner]"`), so a route that filters by metadata folds those keys into
 * one `metadata` object before its schema (the contract's filter) validates it: keys,
 * values and their count are the schema's to judge. A key given twice arrives as an array,
 * which the schema refuses (one value per key); `metadata=…` beside bracketed keys, or any
 * other bracket shape (`metadata[a][b]`), is left as it came, and the strict schema
 * refuses it as an unknown or malformed field (422).
 */
const METADATA_QUERY_KEY = /^metadata\[([^[\]]*)\]$/;

export function foldMetadataQuery(query: Record<string, unknown>): Record<string, unknown> {
  const pairs: [string, unknown][] = [];
  const others: [string, unknown][] = [];
  for (const [key, value] of Object.entries(query)) {
    const match = METADATA_QUERY_KEY.exec(key);
    if (match?.[1] === undefined) others.push([key, value]);
    else pairs.push([match[1], value]);
  }
  if (pairs.length === 0 || others.some(([key]) => key === 'metadata')) return query;
  // Object.fromEntries defines own properties: a key such as `__proto__` stays a key.
  return Object.fromEntries([...others, ['metadata', Object.fromEntries(pairs)]]);
}

export const foldMetadataQueryHook: preValidationHookHandler = (request, _reply, done) => {
  if (typeof request.query === 'object' && request.query !== null) {
    request.query = foldMetadataQuery(request.query as Record<string, unknown>);
  }
  done();
};
