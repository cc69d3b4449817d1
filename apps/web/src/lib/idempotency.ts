'use client';

import { useCallback, useRef } from 'react';

/**
 * A fresh idempotency key. crypto.randomUUID exists only in secure contexts (https or
 * localhost); an operator opening the dashboard by a plain-http address gets a v4 UUID
 * built from crypto.getRandomValues, which every context has.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One idempotency key per submission. The key is bound to what is submitted: sending the
 * same values again (a retry after a timeout or "ledger busy", a second click) reuses it,
 * so the ledger applies the operation at most once; changed values are a new submission
 * and get a new key. After a success the form calls `renew`, and the next one starts fresh.
 */
export function useSubmissionKey() {
  const current = useRef<{ key: string; fingerprint: string } | null>(null);

  const keyFor = useCallback((values: unknown): string => {
    const fingerprint = JSON.stringify(values);
    if (current.current?.fingerprint !== fingerprint) {
      current.current = { key: newIdempotencyKey(), fingerprint };
    }
    return current.current.key;
  }, []);

  const renew = useCallback(() => {
    current.current = null;
  }, []);

  return { keyFor, renew };
}
