import {
  getBalanceAsOfInput,
  walletStatementInput,
  type CurrencyCode,
  type GetBalanceAsOfInput,
  type WalletStatementInput,
} from '@wallet/contract';
import { schema, type ConnectionDb, type Db } from '@wallet/db';
import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm';

import { InvalidInputError, WalletNotFoundError } from './errors';
import { entryWithReversed, transactionIdOfEntry } from './history';
import { parseInput } from './input';
import { currencyOf, toEntry } from './rows';
import { inPipelinedTransaction } from './transaction';
import type { LedgerEntry } from './types';

const { wallets, ledgerEntries, transactionReversals } = schema;

/**
 * Balances and statements read a wallet's chain by time. Entries are stamped in chain
 * order (batch/store.ts: stampedAt, checked by ledger_entries_created_in_chain_order),
 * so "the entries before a moment" are a prefix of the chain, and the balance at a
 * moment is the balance after the last entry of that prefix: exact, with no sum over
 * the history.
 */

export interface BalanceAsOf {
  walletId: string;
  currency: CurrencyCode;
  asOf: Date;
  balanceMinor: bigint;
  /** The sequence of the last entry counted; 0 when none was. */
  sequence: number;
}

export interface WalletStatementPage {
  walletId: string;
  currency: CurrencyCode;
  /** The period, `from` inclusive and `to` exclusive; null: from the first entry, up to now. */
  from: Date | null;
  to: Date | null;
  openingBalanceMinor: bigint;
  closingBalanceMinor: bigint;
  /** The period's entries, oldest first. */
  items: LedgerEntry[];
  /** Pass back as `cursor` (with the same period) for the next page; null on the last. */
  nextCursor: string | null;
}

/** The balance after every entry stamped at or before `asOf`. */
export async function getBalanceAsOf(db: Db, input: GetBalanceAsOfInput): Promise<BalanceAsOf> {
  const request = parseInput(getBalanceAsOfInput, input);
  const asOf = new Date(request.asOf);
  return inPipelinedTransaction(db, 'snapshot read', async (tx, commit) => {
    const [wallet, [last]] = await commit(() => [
      readClientWallet(tx, request.walletId),
      lastEntryAtOrBefore(tx, request.walletId, { atOrBefore: request.asOf }),
    ]);
    return {
      walletId: wallet.id,
      currency: currencyOf(wallet),
      asOf,
      balanceMinor: last?.balanceAfterMinor ?? 0n,
      sequence: last?.sequence ?? 0,
    };
  });
}

/**
 * A page of a period's statement. The first page fixes the period's last entry (the one
 * stamped last before `to`, or the latest when there is no `to`) and the cursor carries
 * it, so a statement read while money moves stays the one that was asked for. Two round
 * trips in one snapshot: the period's bounds, then its page of entries.
 */
export async function readStatementPage(
  db: Db,
  input: WalletStatementInput,
): Promise<WalletStatementPage> {
  const request = parseInput(walletStatementInput, input);
  const from = request.from === undefined ? null : new Date(request.from);
  const to = request.to === undefined ? null : new Date(request.to);
  const cursor = request.cursor === undefined ? null : statementCursorOf(request.cursor);
  const { walletId, limit } = request;
  return inPipelinedTransaction(db, 'snapshot read', async (tx, commit) => {
    // The wallet and the period's bounds in one round trip; its entries in the second.
    const [wallet, [opening], [closing]] = await Promise.all([
      readClientWallet(tx, walletId),
      request.from === undefined
        ? Promise.resolve([])
        : lastEntryAtOrBefore(tx, walletId, { before: request.from }),
      lastEntryAtOrBefore(tx, walletId, { before: request.to, upTo: cursor?.last }),
    ]);
    const openingSequence = opening?.sequence ?? 0;
    const lastSequence = Math.max(closing?.sequence ?? 0, openingSequence);
    const after = cursor?.after ?? openingSequence;
    const [rows] = await commit(() => [
      tx
        .select(entryWithReversed)
        .from(ledgerEntries)
        .leftJoin(transactionReversals, eq(transactionReversals.originalId, transactionIdOfEntry))
        .where(
          and(
            eq(ledgerEntries.walletId, walletId),
            gt(ledgerEntries.sequence, after),
            lte(ledgerEntries.sequence, lastSequence),
          ),
        )
        .orderBy(asc(ledgerEntries.sequence))
        .limit(limit + 1)
        .execute(),
    ]);
    const currency = currencyOf(wallet);
    const items = rows
      .slice(0, limit)
      .map((row) => toEntry(row.entry, currency, row.reversedMinor ?? 0n));
    const lastShown = items.at(-1);
    const openingBalanceMinor = opening?.balanceAfterMinor ?? 0n;
    return {
      walletId,
      currency,
      from,
      to,
      openingBalanceMinor,
      closingBalanceMinor:
        closing && closing.sequence >= openingSequence
          ? closing.balanceAfterMinor
          : openingBalanceMinor,
      items,
      nextCursor: rows.length > limit && lastShown ? `${lastShown.sequence}:${lastSequence}` : null,
    };
  });
}

async function readClientWallet(tx: ConnectionDb, walletId: string) {
  const [wallet] = await tx.select().from(wallets).where(eq(wallets.id, walletId));
  // An external account is the ledger's own: to a client it does not exist.
  if (!wallet || wallet.kind !== 'USER') throw new WalletNotFoundError(walletId);
  return wallet;
}

/**
 * The last entry of the chain's prefix that a bound allows: stamped before `before` (or at
 * or before `atOrBefore`), at most `upTo` by sequence. Newest first on (wallet_id,
 * sequence): it stops at the first entry inside the bounds. Times are the client's ISO
 * text, read by PostgreSQL to the microsecond (a Date would cut them to milliseconds).
 */
function lastEntryAtOrBefore(
  tx: ConnectionDb,
  walletId: string,
  bounds: { before?: string; atOrBefore?: string; upTo?: number },
) {
  return tx
    .select({
      sequence: ledgerEntries.sequence,
      balanceAfterMinor: ledgerEntries.balanceAfterMinor,
    })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.walletId, walletId),
        bounds.before === undefined
          ? undefined
          : sql`${ledgerEntries.createdAt} < ${bounds.before}::timestamptz`,
        bounds.atOrBefore === undefined
          ? undefined
          : sql`${ledgerEntries.createdAt} <= ${bounds.atOrBefore}::timestamptz`,
        bounds.upTo === undefined ? undefined : lte(ledgerEntries.sequence, bounds.upTo),
      ),
    )
    .orderBy(desc(ledgerEntries.sequence))
    .limit(1)
    .execute();
}

const STATEMENT_CURSOR = /^(0|[1-9]\d{0,15}):([1-9]\d{0,15})$/;

/** `after:last`: the last sequence shown, and the period's last (fixed by the first page). */
function statementCursorOf(cursor: string): { after: number; last: number } {
  const match = STATEMENT_CURSOR.exec(cursor);
  const after = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || after >= last) throw new InvalidInputError('cursor is not valid');
  return { after, last };
}
