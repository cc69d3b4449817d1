/** The ledger's own limits; the wire limits live in @wallet/contract's limits.ts. */

/** Attempts of one operation when PostgreSQL reports a deadlock or serialisation failure. */
export const RETRY_ATTEMPTS_MAX = 3;
