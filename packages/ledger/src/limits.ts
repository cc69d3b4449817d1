/** The ledger's own limits; the wire limits live in @wallet/contract's limits.ts. */

/** Attempts of one operation when PostgreSQL reports a deadlock or serialisation failure. */
export const RETRY_ATTEMPTS_MAX = 3;

/** The retention's clean-up: rows per DELETE (a short lock hold), and DELETEs per run. */
export const IDEMPOTENCY_EXPIRY_BATCH_SIZE = 1_000;
export const IDEMPOTENCY_EXPIRY_BATCHES_MAX = 100;

/** The expiry sweep: holds per transaction, and transactions per run. */
export const HOLD_EXPIRY_BATCH_SIZE = 500;
export const HOLD_EXPIRY_BATCHES_MAX = 100;
