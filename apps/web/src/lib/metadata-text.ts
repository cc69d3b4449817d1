import { metadataFilterSchema, metadataSchema, type Metadata } from '@wallet/contract';

/**
 * Metadata as operators type it: `key=value` pairs, one per line (the editor) or separated
 * by spaces or commas (the search box), checked by the contract's own schemas.
 */
function pairsOf(text: string, separator: RegExp): [string, string][] | null {
  const pairs: [string, string][] = [];
  for (const part of text.split(separator)) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const at = trimmed.indexOf('=');
    if (at <= 0) return null;
    pairs.push([trimmed.slice(0, at).trim(), trimmed.slice(at + 1).trim()]);
  }
  return pairs;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith(
  text: string,
  separator: RegExp,
  schema: typeof metadataSchema,
): Parsed<Metadata> {
  const pairs = pairsOf(text, separator);
  if (pairs === null) return { ok: false, error: 'Write each pair as key=value.' };
  const parsed = schema.safeParse(Object.fromEntries(pairs));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join('; ') };
}

/** The editor's text: one pair per line; empty is no metadata. */
export function parseMetadataLines(text: string): Parsed<Metadata> {
  return parseWith(text, /\n/, metadataSchema);
}

/** The search box: pairs separated by spaces or commas; empty is no filter (undefined). */
export function parseMetadataSearch(text: string): Parsed<Metadata | undefined> {
  if (text.trim() === '') return { ok: true, value: undefined };
  return parseWith(text, /[\s,]+/, metadataFilterSchema);
}

export function metadataLines(metadata: Metadata): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}
