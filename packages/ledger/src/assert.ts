/**
 * For states that cannot happen unless the code or the database is wrong: crash loudly
 * instead of carrying on with money in an unknown state. Outcomes a caller can cause are
 * LedgerErrors, never assertions.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Ledger invariant violated: ${message}`);
}
