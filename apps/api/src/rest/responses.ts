import {
  describeErrorStatuses,
  restError,
  restKeyConflict,
  type ErrorCode,
  type HttpStatusOf,
} from '@wallet/contract';

/** Every REST route can refuse its caller: no credential, a role too weak, too many requests. */
const GUARD_ERRORS = ['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED', 'RATE_LIMITED'] as const;

/**
 * The error responses of a route that can fail with `codes`, for the OpenAPI document:
 * one per status, in the documented shape, its description made from the catalogue's
 * words for each code it carries. A used idempotency key's 409 adds its fields.
 */
export function errorResponses<C extends ErrorCode>(...codes: C[]) {
  const described = describeErrorStatuses([...codes, ...GUARD_ERRORS]);
  const entries = Object.entries(described).map(([status, text]) => [
    status,
    (status === '409' && codes.includes('DUPLICATE_IDEMPOTENCY_KEY' as C)
      ? restKeyConflict
      : restError
    ).describe(text as string),
  ]);
  type Status = HttpStatusOf<C | (typeof GUARD_ERRORS)[number]>;
  return Object.fromEntries(entries) as Record<Status, typeof restError | typeof restKeyConflict>;
}

export const BODY_ERRORS = [
  'MALFORMED_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_INPUT',
] as const;
