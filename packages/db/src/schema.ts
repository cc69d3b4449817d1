import {
  DESCRIPTION_LENGTH_MAX,
  ENTRY_STATUSES,
  ENTRY_TYPES,
  HOLD_EXPIRY_DAYS_MAX,
  HOLD_STATUSES,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  IDEMPOTENT_OPERATIONS,
  MAX_BALANCE_MINOR,
  METADATA_STORED_BYTES_MAX,
  WALLET_KINDS,
  WALLET_STATUSES,
  type Metadata,
} from '@wallet/contract';
import { sql, type SQLWrapper } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  char,
  check,
  customType,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type PgTableExtraConfigValue,
} from 'drizzle-orm/pg-core';

import { ACTOR_PATTERN } from './access-schema';

/**
 * The ledger's tables. Every invariant a bug could break is also a named constraint,
 * so a wrong write fails in PostgreSQL instead of corrupting money:
 * - a wallet's balance is never negative nor larger than a JSON number carries exactly
 *   (an external account's is never positive: minus all the money that entered);
 * - one external account per currency, its id made from the currency code;
 * - every entry's arithmetic holds (after = before ± amount);
 * - each wallet's entries form one contiguous chain from zero (a composite foreign key
 *   from each entry to its predecessor's sequence and balance after);
 * - a wallet's balance is the balance after of the entry its sequence names;
 * - a transfer has at most one leg of each direction, between two different wallets;
 * - an idempotency key is used once.
 * Constraint names are part of the contract: the ledger maps errors by them.
 */

/**
 * The contract's words and limits, written into the constraints as SQL literals. The text
 * must stay what the committed migrations hold: `drizzle-kit generate` reports any change.
 */
export const BALANCE_MINOR_MAX_SQL = sql.raw(MAX_BALANCE_MINOR.toString());
const DESCRIPTION_LENGTH_MAX_SQL = sql.raw(String(DESCRIPTION_LENGTH_MAX));
const IDEMPOTENCY_KEY_LENGTH_MAX_SQL = sql.raw(String(IDEMPOTENCY_KEY_LENGTH_MAX));
const METADATA_STORED_BYTES_MAX_SQL = sql.raw(String(METADATA_STORED_BYTES_MAX));

/**
 * A write's metadata: a flat object of string values ({} when none), as @wallet/contract's
 * metadataSchema admits; the CHECK (metadataShape) is the backstop of its shape and size.
 */
const metadataColumn = () =>
  jsonb('metadata')
    .$type<Metadata>()
    .notNull()
    .default(sql`'{}'::jsonb`);

/** The CHECK of a metadata column: an object, of string values only, of bounded size. */
const metadataShape = (metadata: SQLWrapper) =>
  sql`jsonb_typeof(${metadata}) = 'object'
    AND NOT jsonb_path_exists(${metadata}, '$.* ? (@.type() != "string")')
    AND octet_length(${metadata}::text) <= ${METADATA_STORED_BYTES_MAX_SQL}`;

export const entryType = pgEnum('ledger_entry_type', ENTRY_TYPES);
export const entryStatus = pgEnum('ledger_entry_status', ENTRY_STATUSES);
export const idempotentOperation = pgEnum('idempotent_operation', IDEMPOTENT_OPERATIONS);
export const walletKind = pgEnum('wallet_kind', WALLET_KINDS);
export const holdStatus = pgEnum('hold_status', HOLD_STATUSES);
export const walletStatus = pgEnum('wallet_status', WALLET_STATUSES);

/**
 * The id of a currency's external account, in SQL: a UUID of version 8 (custom) whose
 * last bytes are the currency's ASCII code, e.g. USD is
 * 00000000-0000-8000-8000-000000555344. The ledger makes the same id
 * (packages/ledger/src/external-accounts.ts); it sorts before every UUIDv7 wallet id.
 */
export const externalAccountIdSql = (currency: SQLWrapper) =>
  sql`('00000000-0000-8000-8000-000000' || encode(convert_to(${currency}, 'UTF8'), 'hex'))::uuid`;

/** The entry types that debit their wallet, as the SQL list the constraints hold. */
const DEBIT_TYPES_SQL = sql.raw("'TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'");

const createdAt = () =>
  timestamp('created_at', { withTimezone: true, mode: 'date', precision: 6 })
    .notNull()
    .defaultNow();

export const wallets = pgTable(
  'wallets',
  {
    /** UUIDv7, made by the ledger: time-ordered, so keyset pages by id are newest-first. */
    id: uuid('id').primaryKey(),
    currency: char('currency', { length: 3 }).notNull(),
    /** USER: a client's wallet. EXTERNAL: the currency's world account (never listed). */
    kind: walletKind('kind').notNull().default('USER'),
    balanceMinor: bigint('balance_minor', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    /**
     * What the wallet's PENDING holds reserve: the sum of their amounts (ledger:verify
     * checks it). balance - held is what a debit may take (available).
     */
    heldMinor: bigint('held_minor', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    /** Sequence of the wallet's latest entry; null until its first entry. */
    lastEntrySequence: bigint('last_entry_sequence', { mode: 'number' }),
    /**
     * ACTIVE, FROZEN (no debit) or CLOSED (no entry at all, for good): the group commit
     * reads it from the row it locks; triggers (migration 0015) refuse what it forbids.
     */
    status: walletStatus('status').notNull().default('ACTIVE'),
    /** The operator's own facts about the wallet (the owner's id in its system, say). */
    metadata: metadataColumn(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 6 })
      .notNull()
      .defaultNow(),
  },
  // Annotated: wallets and ledger_entries reference each other, a cycle inference cannot follow.
  (t): PgTableExtraConfigValue[] => [
    check('wallets_balance_non_negative', sql`${t.kind} = 'EXTERNAL' OR ${t.balanceMinor} >= 0`),
    check(
      'wallets_external_balance_non_positive',
      sql`${t.kind} = 'USER' OR ${t.balanceMinor} <= 0`,
    ),
    check(
      'wallets_external_id_of_currency',
      sql`${t.kind} = 'USER' OR ${t.id} = ${externalAccountIdSql(t.currency)}`,
    ),
    // The wallets of one currency, newest first (a transfer's receiver picker).
    index('wallets_currency_id_idx').on(t.currency, t.id),
    uniqueIndex('wallets_one_external_per_currency')
      .on(t.currency)
      .where(sql`${t.kind} = 'EXTERNAL'`),
    check('wallets_held_non_negative', sql`${t.heldMinor} >= 0`),
    // Named to sort after wallets_balance_non_negative, which PostgreSQL checks first
    // (CHECKs run in name order): a negative balance is reported as such.
    check(
      'wallets_held_within_balance',
      sql`${t.kind} = 'EXTERNAL' OR ${t.balanceMinor} - ${t.heldMinor} >= 0`,
    ),
    check('wallets_external_holds_nothing', sql`${t.kind} = 'USER' OR ${t.heldMinor} = 0`),
    check('wallets_balance_within_limit', sql`${t.balanceMinor} <= ${BALANCE_MINOR_MAX_SQL}`),
    check('wallets_currency_iso_code', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    // A closed wallet holds nothing (it closes empty, and no entry may reach it after).
    check(
      'wallets_closed_empty',
      sql`${t.status} <> 'CLOSED' OR (${t.balanceMinor} = 0 AND ${t.heldMinor} = 0)`,
    ),
    // The external accounts are the ledger's own: never frozen nor closed.
    check('wallets_external_active', sql`${t.kind} = 'USER' OR ${t.status} = 'ACTIVE'`),
    check('wallets_metadata_shape', metadataShape(t.metadata)),
    // `metadata @> '{"k":"v"}'` finds wallets (GET /wallets?metadata[k]=v). Only wallets
    // that carry metadata are indexed.
    index('wallets_metadata_idx')
      .using('gin', sql`${t.metadata} jsonb_path_ops`)
      .where(sql`${t.metadata} <> '{}'::jsonb`),
    check(
      'wallets_empty_until_first_entry',
      sql`${t.lastEntrySequence} IS NOT NULL OR ${t.balanceMinor} = 0`,
    ),
    foreignKey({
      name: 'wallets_balance_matches_latest_entry_fk',
      columns: [t.id, t.lastEntrySequence, t.balanceMinor],
      foreignColumns: [
        ledgerEntries.walletId,
        ledgerEntries.sequence,
        ledgerEntries.balanceAfterMinor,
      ],
    }),
  ],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: uuid('id').primaryKey(),
    walletId: uuid('wallet_id').notNull(),
    /** 1, 2, 3… per wallet: the keyset cursor of its history and the links of its chain. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    previousSequence: bigint('previous_sequence', { mode: 'number' }),
    type: entryType('type').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    balanceBeforeMinor: bigint('balance_before_minor', { mode: 'bigint' }).notNull(),
    balanceAfterMinor: bigint('balance_after_minor', { mode: 'bigint' }).notNull(),
    status: entryStatus('status').notNull().default('COMPLETED'),
    description: text('description'),
    counterpartyWalletId: uuid('counterparty_wallet_id'),
    /**
     * Pairs the TRANSFER_OUT and TRANSFER_IN legs of one transfer; on a counter-entry, the
     * id of the FUND or WITHDRAWAL entry it balances. An entry's transaction is
     * coalesce(transfer_id, id).
     */
    transferId: uuid('transfer_id'),
    /** On the entries of a hold's capture (a transfer's legs, or a withdrawal's): the hold. */
    holdId: uuid('hold_id'),
    /**
     * On every entry of a reversal: the transaction (a FUND's or WITHDRAWAL's entry id, a
     * transfer's id) it reverses. A reversal reuses the entry types of the direction its
     * money moves (a funding is reversed by a WITHDRAWAL and its counter-entry, a transfer
     * by a transfer back): this link, not the type, says it is a reversal.
     */
    reversesTransactionId: uuid('reverses_transaction_id'),
    /**
     * The metadata of the entry's transaction, the same on each of its entries (there is no
     * row per transaction: a transaction is coalesce(transfer_id, id) of its entries, and
     * its entries are written together by one statement, so a copy on each costs no round
     * trip and lets a wallet's history be filtered without a join).
     */
    metadata: metadataColumn(),
    createdAt: createdAt(),
  },
  (t): PgTableExtraConfigValue[] => [
    check('ledger_entries_metadata_shape', metadataShape(t.metadata)),
    // `metadata @> '{"k":"v"}'` filters of a history: ANDed (bitmap) with the wallet's
    // (wallet_id, sequence) index. Only entries that carry metadata are indexed.
    index('ledger_entries_metadata_idx')
      .using('gin', sql`${t.metadata} jsonb_path_ops`)
      .where(sql`${t.metadata} <> '{}'::jsonb`),
    foreignKey({
      name: 'ledger_entries_hold_fk',
      columns: [t.holdId],
      foreignColumns: [holds.id],
    }),
    // A hold is captured once: its capture writes one entry of each type (a second
    // capture, whatever the code did, would repeat one).
    unique('ledger_entries_hold_capture_unique').on(t.holdId, t.type),
    check(
      'ledger_entries_hold_entry_types',
      sql`${t.holdId} IS NULL
        OR ${t.type} IN ('TRANSFER_OUT', 'TRANSFER_IN', 'WITHDRAWAL', 'WITHDRAWAL_COUNTER')`,
    ),
    foreignKey({
      name: 'ledger_entries_wallet_fk',
      columns: [t.walletId],
      foreignColumns: [wallets.id],
    }),
    foreignKey({
      name: 'ledger_entries_counterparty_fk',
      columns: [t.counterpartyWalletId],
      foreignColumns: [wallets.id],
    }),
    unique('ledger_entries_wallet_sequence_unique').on(t.walletId, t.sequence),
    // The target of the chain links below and of the wallets' balance link.
    unique('ledger_entries_wallet_sequence_balance_unique').on(
      t.walletId,
      t.sequence,
      t.balanceAfterMinor,
    ),
    foreignKey({
      name: 'ledger_entries_chain_fk',
      columns: [t.walletId, t.previousSequence, t.balanceBeforeMinor],
      foreignColumns: [t.walletId, t.sequence, t.balanceAfterMinor],
    }),
    check(
      'ledger_entries_chain_start',
      sql`(${t.sequence} = 1 AND ${t.previousSequence} IS NULL AND ${t.balanceBeforeMinor} = 0)
        OR (${t.sequence} > 1 AND ${t.previousSequence} = ${t.sequence} - 1)`,
    ),
    check('ledger_entries_amount_positive', sql`${t.amountMinor} > 0`),
    // A counter-entry is an external account's: its balances are at most zero.
    check(
      'ledger_entries_balances_in_range',
      sql`(${t.type} IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')
          AND ${t.balanceBeforeMinor} <= 0 AND ${t.balanceAfterMinor} <= 0)
        OR (${t.type} NOT IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')
          AND ${t.balanceBeforeMinor} >= 0 AND ${t.balanceAfterMinor} >= 0
          AND ${t.balanceAfterMinor} <= ${BALANCE_MINOR_MAX_SQL})`,
    ),
    check(
      'ledger_entries_arithmetic',
      sql`${t.balanceAfterMinor} = CASE WHEN ${t.type} IN (${DEBIT_TYPES_SQL})
        THEN ${t.balanceBeforeMinor} - ${t.amountMinor}
        ELSE ${t.balanceBeforeMinor} + ${t.amountMinor} END`,
    ),
    // A FUND or WITHDRAWAL is its transaction (its id the transaction's); its counter-entry
    // names it in transfer_id and its wallet as counterparty; a transfer's legs share theirs.
    check(
      'ledger_entries_counterparty_shape',
      sql`(${t.type} IN ('FUND', 'WITHDRAWAL')
          AND ${t.counterpartyWalletId} IS NULL AND ${t.transferId} IS NULL)
        OR (${t.type} NOT IN ('FUND', 'WITHDRAWAL') AND ${t.counterpartyWalletId} IS NOT NULL
          AND ${t.transferId} IS NOT NULL AND ${t.counterpartyWalletId} <> ${t.walletId})`,
    ),
    check(
      'ledger_entries_description_length',
      sql`char_length(${t.description}) <= ${DESCRIPTION_LENGTH_MAX_SQL}`,
    ),
    unique('ledger_entries_transfer_leg_unique').on(t.transferId, t.type),
    // The balance at a moment, for each instant of a balance series: the wallet's last
    // entry stamped at or before it, found by one descent (entries are stamped in chain
    // order, so (created_at, sequence) orders a wallet's chain as its sequence does).
    index('ledger_entries_wallet_created_at_idx').on(t.walletId, t.createdAt, t.sequence),
    // History filtered by type, newest first (the unfiltered history uses the unique index).
    index('ledger_entries_wallet_type_sequence_idx').on(t.walletId, t.type, t.sequence),
    // Every reversal entry is counted in its original's transaction_reversals row (which
    // the ledger_entries_count_reversal trigger keeps, migration 0009).
    foreignKey({
      name: 'ledger_entries_reversal_counted_fk',
      columns: [t.reversesTransactionId],
      foreignColumns: [transactionReversals.originalId],
    }),
    // A transaction's reversals, for its detail and ledger:verify.
    index('ledger_entries_reverses_transaction_idx')
      .on(t.reversesTransactionId)
      .where(sql`${t.reversesTransactionId} IS NOT NULL`),
  ],
);

/**
 * What is reversed of each transaction that has reversals: one row per original, kept
 * by the ledger_entries_count_reversal trigger (migration 0009), which adds each
 * reversal's amount under the row's lock as its debit entry is written. The check then
 * refuses any reversal, however written and however concurrent, that would take the
 * total past the original's amount (which the trigger reads from the original itself).
 */
export const transactionReversals = pgTable(
  'transaction_reversals',
  {
    /** The FUND's or WITHDRAWAL's entry id, or the transfer's id. */
    originalId: uuid('original_id').primaryKey(),
    originalMinor: bigint('original_minor', { mode: 'bigint' }).notNull(),
    reversedMinor: bigint('reversed_minor', { mode: 'bigint' }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 6 })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    check(
      'transaction_reversals_within_original',
      sql`${t.reversedMinor} > 0 AND ${t.reversedMinor} <= ${t.originalMinor}`,
    ),
  ],
);

const HOLD_EXPIRY_DAYS_MAX_SQL = sql.raw(String(HOLD_EXPIRY_DAYS_MAX));

const optionalTimestamp = (name: string) =>
  timestamp(name, { withTimezone: true, mode: 'date', precision: 6 });

/**
 * Holds (two-phase): an amount of a wallet reserved (counted in its held_minor) until it
 * is captured (moved to the receiver, or out as a withdrawal), voided, or expires. A hold
 * is resolved once: the constraints tie each status to its fields, and a trigger
 * (migration 0012) refuses any change to a hold that is no longer PENDING, any change to
 * its terms, and any deletion; it stamps resolved_at with the database's clock, so the
 * expiry constraints compare a capture and an expiry with that clock.
 */
export const holds = pgTable(
  'holds',
  {
    /** UUIDv7, made by the ledger: a wallet's holds list newest first by id. */
    id: uuid('id').primaryKey(),
    walletId: uuid('wallet_id').notNull(),
    /** Captured to this wallet (same currency) as a transfer; null: out, as a withdrawal. */
    receiverWalletId: uuid('receiver_wallet_id'),
    amountMinor: bigint('amount_minor', { mode: 'bigint' }).notNull(),
    capturedMinor: bigint('captured_minor', { mode: 'bigint' })
      .notNull()
      .default(sql`0`),
    status: holdStatus('status').notNull().default('PENDING'),
    description: text('description'),
    /** The placement's metadata (its capture's transaction carries the capture's own). */
    metadata: metadataColumn(),
    expiresAt: optionalTimestamp('expires_at'),
    createdAt: createdAt(),
    resolvedAt: optionalTimestamp('resolved_at'),
    /** The capture's transaction: the transfer's id, or the WITHDRAWAL entry's. */
    captureTransactionId: uuid('capture_transaction_id'),
  },
  (t): PgTableExtraConfigValue[] => [
    foreignKey({ name: 'holds_wallet_fk', columns: [t.walletId], foreignColumns: [wallets.id] }),
    foreignKey({
      name: 'holds_receiver_fk',
      columns: [t.receiverWalletId],
      foreignColumns: [wallets.id],
    }),
    check(
      'holds_amount_in_range',
      sql`${t.amountMinor} > 0 AND ${t.amountMinor} <= ${BALANCE_MINOR_MAX_SQL}`,
    ),
    check(
      'holds_receiver_other_wallet',
      sql`${t.receiverWalletId} IS NULL OR ${t.receiverWalletId} <> ${t.walletId}`,
    ),
    check(
      'holds_status_shape',
      sql`(${t.status} = 'PENDING' AND ${t.capturedMinor} = 0 AND ${t.resolvedAt} IS NULL
          AND ${t.captureTransactionId} IS NULL)
        OR (${t.status} = 'CAPTURED' AND ${t.capturedMinor} > 0
          AND ${t.capturedMinor} <= ${t.amountMinor} AND ${t.resolvedAt} IS NOT NULL
          AND ${t.captureTransactionId} IS NOT NULL)
        OR (${t.status} IN ('VOIDED', 'EXPIRED') AND ${t.capturedMinor} = 0
          AND ${t.resolvedAt} IS NOT NULL AND ${t.captureTransactionId} IS NULL)`,
    ),
    check(
      'holds_expiry_in_range',
      sql`${t.expiresAt} IS NULL OR (${t.expiresAt} > ${t.createdAt}
        AND ${t.expiresAt} <= ${t.createdAt} + make_interval(days => ${HOLD_EXPIRY_DAYS_MAX_SQL}))`,
    ),
    check(
      'holds_captured_before_expiry',
      sql`${t.status} <> 'CAPTURED' OR ${t.expiresAt} IS NULL OR ${t.resolvedAt} < ${t.expiresAt}`,
    ),
    check(
      'holds_expired_after_expiry',
      sql`${t.status} <> 'EXPIRED' OR (${t.expiresAt} IS NOT NULL AND ${t.resolvedAt} >= ${t.expiresAt})`,
    ),
    check(
      'holds_resolved_after_created',
      sql`${t.resolvedAt} IS NULL OR ${t.resolvedAt} >= ${t.createdAt}`,
    ),
    check('holds_metadata_shape', metadataShape(t.metadata)),
    check(
      'holds_description_length',
      sql`char_length(${t.description}) <= ${DESCRIPTION_LENGTH_MAX_SQL}`,
    ),
    // A wallet's holds, newest first (keyset on the id).
    index('holds_wallet_id_idx').on(t.walletId, t.id),
    // The expiry sweep's work list: pending holds by expiry.
    index('holds_pending_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'PENDING' AND ${t.expiresAt} IS NOT NULL`),
  ],
);

/**
 * Idempotency keys, each scoped to its owner: the principal that sent it (`key:<id>` for
 * an API key, `user:<id>` for a dashboard operator, `system` or `cli` for the ledger's
 * direct callers). The primary key (owner, key) is the rule: one owner uses a key once,
 * and two owners' equal keys never meet. Rows older than the retention are deleted
 * (packages/ledger/src/idempotency-retention.ts), by created_at's index.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    owner: text('owner').notNull(),
    key: text('key').notNull(),
    operation: idempotentOperation('operation').notNull(),
    /** SHA-256 of the canonical request, to tell a retry from a different request. */
    requestFingerprint: char('request_fingerprint', { length: 64 }).notNull(),
    /** The FUND or WITHDRAWAL entry's id, the transfer's id, or the created wallet's id. */
    transactionId: uuid('transaction_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.owner, t.key] }),
    check(
      'idempotency_keys_key_length',
      sql`char_length(${t.key}) BETWEEN 1 AND ${IDEMPOTENCY_KEY_LENGTH_MAX_SQL}`,
    ),
    check('idempotency_keys_owner_actor', sql`${t.owner} ~ ${ACTOR_PATTERN}`),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
  ],
);

/**
 * A 64-bit transaction id (PostgreSQL's xid8, never wrapping), as decimal text: the
 * driver has no parser for it, and JavaScript numbers stop being exact before it ends.
 */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

/**
 * The outbox: one row per committed write, inserted in the write's own transaction (an
 * event exists if and only if its movement committed). Its global order is
 * (transaction_xid, position): rows are served only once every transaction that could
 * still add a smaller pair has ended (packages/ledger/src/events/read.ts), so a reader
 * paging by that cursor never skips one. See docs/events.md.
 */
export const ledgerEvents = pgTable(
  'ledger_events',
  {
    /** UUIDv7, made by the ledger: what a consumer deduplicates on. */
    id: uuid('id').primaryKey(),
    /** The writing transaction: the first key of the global order. */
    transactionXid: xid8('transaction_xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    /** Assigned at INSERT: the order of the events of one transaction. */
    position: bigserial('position', { mode: 'number' }).notNull(),
    /** One of @wallet/contract's EVENT_TYPES (shape checked here, so new types need no migration). */
    type: text('type').notNull(),
    walletId: uuid('wallet_id').notNull(),
    /** The wallet's entry sequence once the event's write is done (0: no entry yet). */
    walletSequence: bigint('wallet_sequence', { mode: 'number' }).notNull(),
    /** A transfer's receiver (the wallet being the sender), with its sequence after it. */
    counterpartyWalletId: uuid('counterparty_wallet_id'),
    counterpartySequence: bigint('counterparty_sequence', { mode: 'number' }),
    /** The funding's or withdrawal's entry id, the transfer's id, or the new wallet's id. */
    transactionId: uuid('transaction_id').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    /** What moved, in minor units; null for an event that moves no money. */
    amountMinor: bigint('amount_minor', { mode: 'bigint' }),
    /** The event's data as consumers get it (amounts as decimal text of the currency). */
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'ledger_events_wallet_fk',
      columns: [t.walletId],
      foreignColumns: [wallets.id],
    }),
    foreignKey({
      name: 'ledger_events_counterparty_fk',
      columns: [t.counterpartyWalletId],
      foreignColumns: [wallets.id],
    }),
    check('ledger_events_type_shape', sql`${t.type} ~ '^[a-z]+([.][a-z_]+)+$'`),
    check('ledger_events_sequence_non_negative', sql`${t.walletSequence} >= 0`),
    check(
      'ledger_events_counterparty_shape',
      sql`(${t.counterpartyWalletId} IS NULL AND ${t.counterpartySequence} IS NULL)
        OR (${t.counterpartyWalletId} IS NOT NULL AND ${t.counterpartySequence} > 0
          AND ${t.counterpartyWalletId} <> ${t.walletId})`,
    ),
    check('ledger_events_amount_positive', sql`${t.amountMinor} IS NULL OR ${t.amountMinor} > 0`),
    check('ledger_events_payload_object', sql`jsonb_typeof(${t.payload}) = 'object'`),
    // The global order, and the cursor's index.
    uniqueIndex('ledger_events_order_unique').on(t.transactionXid, t.position),
  ],
);

export type WalletRow = typeof wallets.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type NewLedgerEntryRow = typeof ledgerEntries.$inferInsert;
export type HoldRow = typeof holds.$inferSelect;
export type TransactionReversalRow = typeof transactionReversals.$inferSelect;
export type LedgerEventRow = typeof ledgerEvents.$inferSelect;

export * from './access-schema';
export * from './webhooks-schema';
