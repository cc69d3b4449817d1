/**
 * The ledger's words, defined once: the wire schemas validate them, the database's enums
 * are made from them (packages/db), and the ledger's types name them.
 */

/**
 * What an entry did to its wallet's balance. The ledger is double-entry: every movement
 * has its counter-entries, and each transaction's entries sum to zero. On a wallet:
 * FUND (money in from outside), WITHDRAWAL (money out, a payout), TRANSFER_IN/OUT. On
 * its currency's external ("world") account: FUND_COUNTER (the debit a FUND came from)
 * and WITHDRAWAL_COUNTER (the credit a WITHDRAWAL went to). New values go at the end:
 * the database's enum keeps this order.
 */
export const ENTRY_TYPES = [
  'FUND',
  'TRANSFER_IN',
  'TRANSFER_OUT',
  'WITHDRAWAL',
  'FUND_COUNTER',
  'WITHDRAWAL_COUNTER',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** The entries that take money off their wallet's balance; the others add to it. */
export const DEBIT_ENTRY_TYPES = [
  'TRANSFER_OUT',
  'WITHDRAWAL',
  'FUND_COUNTER',
] as const satisfies readonly EntryType[];

/** The entries only an external account holds (a wallet's history never shows them). */
export const COUNTER_ENTRY_TYPES = [
  'FUND_COUNTER',
  'WITHDRAWAL_COUNTER',
] as const satisfies readonly EntryType[];

/** The entry types a wallet's history can hold (and the history filter accepts). */
export const WALLET_ENTRY_TYPES = [
  'FUND',
  'TRANSFER_IN',
  'TRANSFER_OUT',
  'WITHDRAWAL',
] as const satisfies readonly EntryType[];
export type WalletEntryType = (typeof WALLET_ENTRY_TYPES)[number];

/** True for the entries a client's wallet holds (its history's). */
export function isWalletEntryType(type: EntryType): type is WalletEntryType {
  return (WALLET_ENTRY_TYPES as readonly EntryType[]).includes(type);
}

/**
 * What a wallets row is: a client's wallet, or the ledger's external account of its
 * currency (one per currency; never listed, never named by a client).
 */
export const WALLET_KINDS = ['USER', 'EXTERNAL'] as const;
export type WalletKind = (typeof WALLET_KINDS)[number];

/** Every entry is written complete, in the transaction that checked it; the enum leaves room. */
export const ENTRY_STATUSES = ['COMPLETED'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/**
 * The writes an idempotency key can name: the movements, a wallet's creation and a
 * reversal. New values go at the end: the database's enum keeps this order.
 */
export const IDEMPOTENT_OPERATIONS = [
  'FUND',
  'TRANSFER',
  'CREATE_WALLET',
  'WITHDRAW',
  'REVERSE',
  'PLACE_HOLD',
  'CAPTURE_HOLD',
  'VOID_HOLD',
] as const;
export type IdempotentOperation = (typeof IDEMPOTENT_OPERATIONS)[number];

/**
 * A hold's life: PENDING (its amount is reserved: counted in the wallet's held, not in its
 * available), then once and for good CAPTURED (all or part moved, the rest released),
 * VOIDED (released by a client) or EXPIRED (released at or after its expiry).
 */
export const HOLD_STATUSES = ['PENDING', 'CAPTURED', 'VOIDED', 'EXPIRED'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/**
 * A client wallet's status. ACTIVE: every movement. FROZEN: money may come in (fundings,
 * transfers in, a void or expiry releasing a hold) but nothing may go out (no transfer
 * out, withdrawal, hold placed or captured from it, reversal taking money from it).
 * CLOSED: no movement at all, and for good; only a wallet with a zero balance and no
 * pending hold may close.
 */
export const WALLET_STATUSES = ['ACTIVE', 'FROZEN', 'CLOSED'] as const;
export type WalletStatus = (typeof WALLET_STATUSES)[number];

/**
 * What the outbox (ledger_events) tells the systems around the ledger: one event per
 * committed write. A transfer is one event naming both wallets (one fact, so one id to
 * deduplicate on). New types go at the end; the database checks only their shape, so
 * adding one needs no migration.
 */
export const EVENT_TYPES = [
  'wallet.created',
  'wallet.funded',
  'wallet.withdrawn',
  'transfer.completed',
  'transaction.reversed',
  'hold.placed',
  'hold.captured',
  'hold.voided',
  'hold.expired',
  'wallet.status_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
