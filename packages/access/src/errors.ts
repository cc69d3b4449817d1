/**
 * The one list of access outcomes a caller can be told about. The API maps each code to an
 * HTTP status and a tRPC code in one table; a code added here without a mapping fails
 * the API's type check.
 */
export const ACCESS_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'INVALID_ACCESS_INPUT',
  'API_KEY_NOT_FOUND',
  'OPERATOR_NOT_FOUND',
  'USERNAME_TAKEN',
  'ACCESS_UNAVAILABLE',
] as const;

export type AccessErrorCode = (typeof ACCESS_ERROR_CODES)[number];

export abstract class AccessError extends Error {
  abstract readonly code: AccessErrorCode;
}

/** No credential, an unknown or wrong one, a revoked key, a disabled account, an expired session. */
export class UnauthenticatedError extends AccessError {
  readonly code = 'UNAUTHENTICATED';
  override readonly name = 'UnauthenticatedError';
  constructor(message = 'Authentication required: send Authorization: Bearer <API key>') {
    super(message);
  }
}

/** A valid credential whose role may not do this. */
export class ForbiddenError extends AccessError {
  readonly code = 'FORBIDDEN';
  override readonly name = 'ForbiddenError';
  constructor(role: string, needed: string) {
    super(`The role ${role} may not do this: it needs ${needed}`);
  }
}

/** A cookie-authenticated write without the session's CSRF token, or from another origin. */
export class CsrfRejectedError extends AccessError {
  readonly code = 'CSRF_REJECTED';
  override readonly name = 'CsrfRejectedError';
}

export class InvalidAccessInputError extends AccessError {
  readonly code = 'INVALID_ACCESS_INPUT';
  override readonly name = 'InvalidAccessInputError';
}

export class ApiKeyNotFoundError extends AccessError {
  readonly code = 'API_KEY_NOT_FOUND';
  override readonly name = 'ApiKeyNotFoundError';
  constructor(id: string) {
    super(`API key ${id} not found`);
  }
}

export class OperatorNotFoundError extends AccessError {
  readonly code = 'OPERATOR_NOT_FOUND';
  override readonly name = 'OperatorNotFoundError';
  constructor(id: string) {
    super(`Operator ${id} not found`);
  }
}

export class UsernameTakenError extends AccessError {
  readonly code = 'USERNAME_TAKEN';
  override readonly name = 'UsernameTakenError';
  constructor(username: string) {
    super(`The username ${username} is taken`);
  }
}

/**
 * A credential could not be checked because the database did not answer: a 503 (retry),
 * never a 500 and never a pass.
 */
export class AccessUnavailableError extends AccessError {
  readonly code = 'ACCESS_UNAVAILABLE';
  override readonly name = 'AccessUnavailableError';
  constructor() {
    super('Credentials cannot be checked right now: the database is unavailable. Retry shortly.');
  }
}
