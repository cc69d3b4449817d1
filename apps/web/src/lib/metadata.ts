import { METADATA_KEYS_MAX, type Metadata } from '@wallet/contract';

/** What key=value lines hold: the metadata (undefined: none given), or why they cannot be read. */
export type MetadataLines = { metadata: Metadata | undefined } | { problem: string };

/**
 * The dashboard's metadata input: one `key=value` per line (the value is everything after
 * the first `=`, so it may hold `=` itself; blank lines are skipped). Only the lines' form is
 * judged here (a line without `=`, a key given twice); the keys, values and limits are the
 * contract's metadataSchema's to judge, as the forms' schemas include it.
 */
export function metadataOfLines(text: string): MetadataLines {
  const metadata: Metadata = {};
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  // Past the limit the schema refuses anyway; this only bounds the work on a pasted blob.
  if (lines.length > METADATA_KEYS_MAX) {
    return { problem: `must have at most ${METADATA_KEYS_MAX} keys` };
  }
  for (const [index, line] of lines.entries()) {
    const equals = line.indexOf('=');
    if (equals < 0) return { problem: `line ${index + 1} must be key=value` };
    const key = line.slice(0, equals).trim();
    if (Object.hasOwn(metadata, key)) return { problem: `key ${key} is given twice` };
    Object.defineProperty(metadata, key, {
      value: line.slice(equals + 1).trim(),
      enumerable: true,
      writable: true,
    });
  }
  return { metadata: lines.length === 0 ? undefined : metadata };
}

/** Metadata as the history shows it: `key=value` pairs, in key order. */
export function metadataPairs(metadata: Readonly<Metadata>): string[] {
  return Object.entries(metadata)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`);
}
