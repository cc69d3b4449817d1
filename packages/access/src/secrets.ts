import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in an API key's secret, a session token and a CSRF token: 256 bits. */
export const SECRET_BYTES = 32;

export function randomToken(bytes = SECRET_BYTES): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Equal strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const API_KEY_PATTERN = /^wlk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/**
 * An API key as given to its holder: `wlk_<id, 32 hex>_<secret, 43 base64url>`. The prefix
 * makes a leaked key recognisable (secret scanners, logs); the id makes lookup one
 * primary-key read; the secret is 256 random bits, stored only as its SHA-256.
 */
export function formatApiKey(id: string, secret: string): string {
  return `wlk_${id.replaceAll('-', '')}_${secret}`;
}

export function parseApiKey(text: string): { id: string; secret: string } | undefined {
  const match = API_KEY_PATTERN.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const hex = match[1];
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: match[2] };
}
