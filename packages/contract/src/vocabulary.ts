/**
 * The ledger's words, defined once: the wire schemas validate them, the database's enums
 * are made from them (packages/db), and the ledger's types name them.
 */

/** What an entry did to its wallet's balance. */
export const ENTRY_TYPES = ['FUND', 'TRANSFER_IN', 'TRANSFER_OUT'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Every entry is written complete, in the transaction that checked it; the enum leaves room. */
export const ENTRY_STATUSES = ['COMPLETED'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** The writes an idempotency key can name: the two movements and a wallet's creation. */
export const IDEMPOTENT_OPERATIONS = ['FUND', 'TRANSFER', 'CREATE_WALLET'] as const;
export type IdempotentOperation = (typeof IDEMPOTENT_OPERATIONS)[number];
