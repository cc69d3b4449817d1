import type { AccessErrorCode } from '@wallet/contract';

/**
 * The one list of access outcomes a caller can be told about lives in the contract's
 * error catalogue, beside each code's tRPC code and HTTP status; a code added there
 * without its row fails the type check.
 */
export { ACCESS_ERROR_CODES, type AccessErrorCode } from '@wallet/contract';

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
