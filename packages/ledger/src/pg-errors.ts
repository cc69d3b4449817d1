/**
 * PostgreSQL errors the ledger expects, by SQLSTATE. Drizzle wraps the driver's error in
 * a DrizzleQueryError whose `cause` is the PostgreSQL error, so both levels are searched.
 */
const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';
const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';
/**
 * Class 08 (connection exception), the shutdown/startup codes of class 57, and 25006
 * read_only_sql_transaction: a write that reached a server which is (or has just become)
 * a standby, as around a failover, when a connection still points at the demoted primary.
 * Nothing was written, and the same request with its idempotency key may be sent again.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|25006)$/;
/** postgres.js's own codes for a connection that failed or went away. */
const UNAVAILABLE_CLIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

interface PostgresError {
  code: string;
  constraint_name?: string;
}

export function postgresErrorOf(error: unknown): PostgresError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current === 'object' && 'code' in current && typeof current.code === 'string') {
      return current as PostgresError;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A conflict between concurrent transactions: the whole operation may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = postgresErrorOf(error)?.code;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

/** A lock wait or statement ran past its timeout: the database is too busy right now. */
export function isTimeout(error: unknown): boolean {
  const code = postgresErrorOf(error)?.code;
  return code === LOCK_NOT_AVAILABLE || code === QUERY_CANCELED;
}

/** The server is down, restarting or unreachable: nothing the request did wrong. */
export function isUnavailable(error: unknown): boolean {
  const code = postgresErrorOf(error)?.code;
  return (
    code !== undefined && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_CLIENT_CODES.has(code))
  );
}
