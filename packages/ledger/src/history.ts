import {
  getWalletInput,
  listTransactionsInput,
  WALLET_RECENT_TRANSACTIONS,
  type EntryType,
  type GetWalletInput,
  type ListTransactionsInput,
} from '@wallet/contract';
import type { ConnectionDb, Db, ReservedConnection } from '@wallet/db';
import { schema, statementsOn } from '@wallet/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';

import { InvalidInputError, WalletNotFoundError } from './errors';
import { parseInput } from './input';
import { currencyOf, toEntry, toWallet } from './rows';
import { inPipelinedTransaction } from './transaction';
import type { LedgerEntry, Page, WalletWithTransactions } from './types';

const { wallets, ledgerEntries, transactionReversals } = schema;

/** An entry's transaction: a transfer leg's transfer, or the entry itself. */
export const transactionIdOfEntry = sql`coalesce(${ledgerEntries.transferId}, ${ledgerEntries.id})`;

/** An entry and what is reversed of its transaction (joined on transactionIdOfEntry). */
export const entryWithReversed = {
  entry: ledgerEntries,
  reversedMinor: transactionReversals.reversedMinor,
};

/**
 * A wallet's history, newest first, by keyset on its entry sequence: the index on
 * (wallet_id, sequence) serves the latest page of a wallet with a million entries as
 * cheaply as one with ten. The cursor is the sequence of the last entry shown.
 */
export async function listTransactions(
  db: Db,
  input: ListTransactionsInput,
): Promise<Page<LedgerEntry>> {
  const request = parseInput(listTransactionsInput, input);
  const before = request.cursor === undefined ? undefined : sequenceOfCursor(request.cursor);
  const statements = statementsOn(db, makeReadStatements);
  const query: EntryQuery = { before, limit: request.limit, type: request.type };
  const filters = filtersOf(request);
  return inPipelinedTransaction(db, 'snapshot read', async (tx, commit, run) => {
    const [wallet, rows] = await commit(() => [
      readWallet(statements, run, request.walletId),
      filters === null
        ? readEntryRows(statements, run, request.walletId, query)
        : readFilteredEntryRows(tx, request.walletId, query, filters),
    ]);
    return pageOf(wallet, rows, request.limit);
  });
}

/** The filters beyond type and cursor, or null: without them a prepared statement serves. */
interface EntryFilters {
  /** ISO text, read by PostgreSQL to the microsecond (a Date would cut it to milliseconds). */
  from?: string;
  to?: string;
  counterpartyWalletId?: string;
  /** Pairs the entry's metadata must all hold. */
  metadata?: Readonly<Record<string, string>>;
}

function filtersOf(request: EntryFilters): EntryFilters | null {
  const { from, to, counterpartyWalletId, metadata } = request;
  const none = [from, to, counterpartyWalletId, metadata].every((filter) => filter === undefined);
  return none ? null : { from, to, counterpartyWalletId, metadata };
}

/**
 * Entries whose metadata holds every pair of the filter (jsonb containment). The second
 * condition adds nothing to the answer ({} contains no pair) but lets the planner use the
 * partial GIN index ledger_entries_metadata_idx, ANDed with the wallet's index.
 */
function metadataContains(filter: Readonly<Record<string, string>>) {
  return sql`${ledgerEntries.metadata} @> ${JSON.stringify(filter)}::jsonb
    AND ${ledgerEntries.metadata} <> '{}'::jsonb`;
}

/**
 * A filtered page: the same keyset on the sequence, newest first, with the period and the
 * counterparty as conditions. Entries are stamped in chain order (chain-time: see
 * batch/store.ts), so a period is a contiguous run of a wallet's chain.
 */
function readFilteredEntryRows(
  tx: ConnectionDb,
  walletId: string,
  query: EntryQuery,
  filters: EntryFilters,
) {
  return tx
    .select(entryWithReversed)
    .from(ledgerEntries)
    .leftJoin(transactionReversals, eq(transactionReversals.originalId, transactionIdOfEntry))
    .where(
      and(
        eq(ledgerEntries.walletId, walletId),
        query.type === undefined ? undefined : eq(ledgerEntries.type, query.type),
        query.before === undefined ? undefined : lt(ledgerEntries.sequence, query.before),
        filters.from === undefined
          ? undefined
          : sql`${ledgerEntries.createdAt} >= ${filters.from}::timestamptz`,
        filters.to === undefined
          ? undefined
          : sql`${ledgerEntries.createdAt} < ${filters.to}::timestamptz`,
        filters.counterpartyWalletId === undefined
          ? undefined
          : eq(ledgerEntries.counterpartyWalletId, filters.counterpartyWalletId),
        filters.metadata === undefined ? undefined : metadataContains(filters.metadata),
      ),
    )
    .orderBy(desc(ledgerEntries.sequence))
    .limit(query.limit + 1)
    .execute();
}

/** The wallet and its latest entries, read in one snapshot so they agree. */
export async function getWallet(db: Db, input: GetWalletInput): Promise<WalletWithTransactions> {
  const { walletId } = parseInput(getWalletInput, input);
  const statements = statementsOn(db, makeReadStatements);
  return inPipelinedTransaction(db, 'snapshot read', async (_tx, commit, run) => {
    const [wallet, rows] = await commit(() => [
      readWallet(statements, run, walletId),
      readEntryRows(statements, run, walletId, { limit: WALLET_RECENT_TRANSACTIONS }),
    ]);
    const page = pageOf(wallet, rows, WALLET_RECENT_TRANSACTIONS);
    return { ...toWallet(wallet), transactions: page.items, nextCursor: page.nextCursor };
  });
}

// The two reads of a page go out together with the snapshot's BEGIN and COMMIT
// (pipelined), as statements prepared once: one round trip for all four.
async function readWallet(statements: ReadStatements, run: Run, walletId: string) {
  const [wallet] = await run(statements.wallet, { walletId });
  // An external account is the ledger's own: to a client it does not exist.
  if (!wallet || wallet.kind !== 'USER') throw new WalletNotFoundError(walletId);
  return wallet;
}

interface EntryQuery {
  before?: number;
  limit: number;
  type?: EntryType;
}

function readEntryRows(statements: ReadStatements, run: Run, walletId: string, query: EntryQuery) {
  const { type, before } = query;
  // One more than asked tells whether another page follows.
  const limit = query.limit + 1;
  if (type === undefined && before === undefined) {
    return run(statements.entries.latest, { walletId, limit });
  }
  if (type === undefined) return run(statements.entries.before, { walletId, before, limit });
  if (before === undefined) return run(statements.entries.ofType, { walletId, type, limit });
  return run(statements.entries.ofTypeBefore, { walletId, type, before, limit });
}

type Run = ReservedConnection['run'];
type ReadStatements = ReturnType<typeof makeReadStatements>;

/**
 * A page of entries has four shapes (with or without a type filter, with or without a
 * cursor), each its own statement: a cursor must be a range condition on the index, not
 * an `$n IS NULL OR …` a generic plan could not use.
 */
function makeReadStatements(db: ConnectionDb) {
  const entries = (name: string, filters: { type: boolean; before: boolean }) =>
    db
      .select(entryWithReversed)
      .from(ledgerEntries)
      // What is reversed of each entry's transaction (an entry's transaction is
      // coalesce(transfer_id, id)): one primary-key probe per entry shown.
      .leftJoin(transactionReversals, eq(transactionReversals.originalId, transactionIdOfEntry))
      .where(
        and(
          eq(ledgerEntries.walletId, sql.placeholder('walletId')),
          filters.type ? eq(ledgerEntries.type, sql.placeholder('type')) : undefined,
          filters.before ? lt(ledgerEntries.sequence, sql.placeholder('before')) : undefined,
        ),
      )
      .orderBy(desc(ledgerEntries.sequence))
      .limit(sql.placeholder('limit'))
      .prepare(name);
  return {
    wallet: db
      .select()
      .from(wallets)
      .where(eq(wallets.id, sql.placeholder('walletId')))
      .prepare('ledger_read_wallet'),
    entries: {
      latest: entries('ledger_read_entries', { type: false, before: false }),
      before: entries('ledger_read_entries_before', { type: false, before: true }),
      ofType: entries('ledger_read_entries_of_type', { type: true, before: false }),
      ofTypeBefore: entries('ledger_read_entries_of_type_before', { type: true, before: true }),
    },
  };
}

interface EntryWithReversed {
  entry: typeof ledgerEntries.$inferSelect;
  reversedMinor: bigint | null;
}

function pageOf(
  wallet: typeof wallets.$inferSelect,
  rows: EntryWithReversed[],
  limit: number,
): Page<LedgerEntry> {
  const currency = currencyOf(wallet);
  const items = rows
    .slice(0, limit)
    .map((row) => toEntry(row.entry, currency, row.reversedMinor ?? 0n));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? String(last.sequence) : null,
  };
}

const SEQUENCE_CURSOR = /^[1-9]\d{0,15}$/;

function sequenceOfCursor(cursor: string): number {
  if (!SEQUENCE_CURSOR.test(cursor)) throw new InvalidInputError('cursor is not valid');
  return Number(cursor);
}
