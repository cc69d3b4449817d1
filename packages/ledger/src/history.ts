import {
  getWalletInput,
  listTransactionsInput,
  WALLET_RECENT_TRANSACTIONS,
  type EntryType,
  type GetWalletInput,
  type ListTransactionsInput,
} from '@wallet/contract';
import type { ConnectionDb, Db } from '@wallet/db';
import { schema } from '@wallet/db';
import { and, desc, eq, lt } from 'drizzle-orm';

import { InvalidInputError, WalletNotFoundError } from './errors';
import { parseInput } from './input';
import { currencyOf, toEntry, toWallet } from './rows';
import { inPipelinedTransaction } from './transaction';
import type { LedgerEntry, Page, WalletWithTransactions } from './types';

const { wallets, ledgerEntries } = schema;

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
  return inPipelinedTransaction(db, 'snapshot read', async (tx, commit) => {
    const [wallet, rows] = await commit(() => [
      readWallet(tx, request.walletId),
      readEntryRows(tx, request.walletId, { before, limit: request.limit, type: request.type }),
    ]);
    return pageOf(wallet, rows, request.limit);
  });
}

/** The wallet and its latest entries, read in one snapshot so they agree. */
export async function getWallet(db: Db, input: GetWalletInput): Promise<WalletWithTransactions> {
  const { walletId } = parseInput(getWalletInput, input);
  return inPipelinedTransaction(db, 'snapshot read', async (tx, commit) => {
    const [wallet, rows] = await commit(() => [
      readWallet(tx, walletId),
      readEntryRows(tx, walletId, { limit: WALLET_RECENT_TRANSACTIONS }),
    ]);
    const page = pageOf(wallet, rows, WALLET_RECENT_TRANSACTIONS);
    return { ...toWallet(wallet), transactions: page.items, nextCursor: page.nextCursor };
  });
}

// The two reads of a page go out together with the snapshot's BEGIN and COMMIT
// (pipelined), as prepared statements: one round trip for all four.
async function readWallet(tx: ConnectionDb, walletId: string) {
  const [wallet] = await tx
    .select()
    .from(wallets)
    .where(eq(wallets.id, walletId))
    .prepare('ledger_read_wallet')
    .execute();
  if (!wallet) throw new WalletNotFoundError(walletId);
  return wallet;
}

interface EntryQuery {
  before?: number;
  limit: number;
  type?: EntryType;
}

function readEntryRows(tx: ConnectionDb, walletId: string, query: EntryQuery) {
  return tx
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.walletId, walletId),
        query.type === undefined ? undefined : eq(ledgerEntries.type, query.type),
        query.before === undefined ? undefined : lt(ledgerEntries.sequence, query.before),
      ),
    )
    .orderBy(desc(ledgerEntries.sequence))
    .limit(query.limit + 1) // one more than asked tells whether another page follows
    .prepare('ledger_read_entries')
    .execute();
}

function pageOf(
  wallet: typeof wallets.$inferSelect,
  rows: (typeof ledgerEntries.$inferSelect)[],
  limit: number,
): Page<LedgerEntry> {
  const currency = currencyOf(wallet);
  const items = rows.slice(0, limit).map((row) => toEntry(row, currency));
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
