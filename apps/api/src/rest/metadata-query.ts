import type { FastifyRequest } from 'fastify';

/** `metadata[key]`: a bracketed query key, its inner text the metadata key. */
const BRACKETED_METADATA_KEY = /^metadata\[(.*)\]$/s;

/**
 * The history's metadata filter arrives as bracketed query keys, `metadata[order]=A-17`
 * (several: all must match), which Fastify's query parser leaves as flat keys. Before the
 * schema runs they become one `metadata` object, so the contract's filter schema judges
 * them as it judges tRPC's input: a key outside the key alphabet (`metadata[a][b]`), a
 * key given twice (its value an array), or `metadata=…` beside bracketed keys all fail
 * validation (422), never reach the ledger.
 */
export function foldMetadataQuery(
  request: FastifyRequest,
  _reply: unknown,
  next: () => void,
): void {
  const query = request.query as Record<string, unknown>;
  const folded: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  let found = false;
  for (const [name, value] of Object.entries(query)) {
    const match = BRACKETED_METADATA_KEY.exec(name);
    if (match?.[1] === undefined) {
      rest[name] = value;
      continue;
    }
    found = true;
    // An own property: a key such as __proto__ is data, never the object's prototype.
    Object.defineProperty(folded, match[1], { value, enumerable: true });
  }
  if (found) {
    // `metadata=…` as well as bracketed keys: kept as given beside them, so the schema refuses it.
    request.query = { ...rest, metadata: 'metadata' in rest ? [rest.metadata, folded] : folded };
  }
  next();
}
