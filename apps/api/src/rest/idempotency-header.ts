import { IDEMPOTENCY_KEY_HEADER } from '@wallet/contract';

import { IdempotencyKeyMismatchError } from '../errors';

/**
 * A REST write's idempotency key: the `Idempotency-Key` header (already checked by the
 * route's header schema) or the body's `idempotencyKey`; both may be given when equal,
 * and different they are refused (422) rather than one silently winning.
 */
export function withHeaderKey<Body extends { idempotencyKey?: string }>(
  body: Body,
  headers: { [IDEMPOTENCY_KEY_HEADER]?: string },
): Body {
  const header = headers[IDEMPOTENCY_KEY_HEADER];
  if (header === undefined) return body;
  if (body.idempotencyKey !== undefined && body.idempotencyKey !== header) {
    throw new IdempotencyKeyMismatchError();
  }
  return { ...body, idempotencyKey: header };
}
