import { getTransactionInput, type GetTransactionInput } from '@wallet/contract';
import { schema, type Db } from '@wallet/db';
import { asc, desc, eq, sql } from 'drizzle-orm';

import { assert } from './assert';
import { TransactionNotFoundError } from './errors';
import { parseInput } from './input';
import { currencyOf, toEntry } from './rows';
import { inTransaction, type Tx } from './transaction';
import type { ReversalSummary, TransactionDetail } from './types';

const { wallets, ledgerEntries } = schema;

/** The external account's counter-entries are the ledger's own: never a client's leg. */
const CLIENT_ENTRY = sql`${ledgerEntries.type} NOT IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')`;

/**
 * One transaction by id: a FUND or WITHDRAWAL entry's id, a transfer's or a reversal's
 * id, or the id of any of their legs (then the whole transaction), with the link to its
 * reversals or, for a reversal, to its original. Two statements in one snapshot: the
 * legs (the transfer's by the (transfer_id, type) unique index) and the reversals (by
 * the reverses_transaction_id index). Readable by any reader, as wallets are: who may
 * read is the role's (apps/api/src/security/operations.ts).
 */
export async function getTransaction(
  db: Db,
  input: GetTransactionInput,
): Promise<TransactionDetail> {
  const { transactionId } = parseInput(getTransactionInput, input);
  const id = transactionId.toLowerCase();
  return inTransaction(db, (tx) => readTransaction(tx, id), 'snapshot read');
}

async function readTransaction(tx: Tx, id: string): Promise<TransactionDetail> {
  const rows = await tx
    .select({ entry: ledgerEntries, currency: wallets.currency })
    .from(ledgerEntries)
    .innerJoin(wallets, eq(wallets.id, ledgerEntries.walletId))
    .where(
      sql`(${ledgerEntries.id} = ${id} OR ${ledgerEntries.transferId} = ${id}
        OR ${ledgerEntries.transferId} = (SELECT leg.transfer_id FROM ledger_entries AS leg
          WHERE leg.id = ${id})) AND ${CLIENT_ENTRY}`,
    )
    // TRANSFER_OUT before TRANSFER_IN (the enum's order, reversed).
    .orderBy(desc(ledgerEntries.type));
  const first = rows[0];
  if (!first) throw new TransactionNotFoundError(id);
  const { transferId, reversesTransactionId } = first.entry;
  const transactionIdOfLegs = transferId ?? first.entry.id;
  const reversals =
    reversesTransactionId === null ? await readReversals(tx, transactionIdOfLegs) : [];
  const reversedMinor = reversals.reduce((sum, reversal) => sum + reversal.amountMinor, 0n);
  const legs = rows.map((row) => toEntry(row.entry, currencyOf(row), reversedMinor));
  // A reversal has the shape of what it moves: a funding's or withdrawal's one leg, a transfer's two.
  assert(
    legs.length === (transferId === null ? 1 : 2),
    'a funding or withdrawal has one leg, a transfer two',
  );
  return {
    id: transactionIdOfLegs,
    kind: kindOf(first.entry),
    currency: currencyOf(first),
    amountMinor: first.entry.amountMinor,
    description: first.entry.description,
    metadata: first.entry.metadata,
    createdAt: first.entry.createdAt,
    legs,
    reversesTransactionId,
    reversedMinor,
    reversals,
  };
}

function kindOf(entry: typeof ledgerEntries.$inferSelect): TransactionDetail['kind'] {
  if (entry.reversesTransactionId !== null) return 'REVERSAL';
  if (entry.transferId !== null) return 'TRANSFER';
  return entry.type === 'WITHDRAWAL' ? 'WITHDRAWAL' : 'FUND';
}

/**
 * The reversals of a transaction, oldest first: each one's debit leg on a client's
 * wallet (a funding's reversal: its WITHDRAWAL; a transfer's: its TRANSFER_OUT), or, for
 * a withdrawal's reversal, its FUND (its debit is the external account's).
 */
async function readReversals(tx: Tx, originalId: string): Promise<ReversalSummary[]> {
  const rows = await tx
    .select({
      id: sql<string>`coalesce(${ledgerEntries.transferId}, ${ledgerEntries.id})`,
      amountMinor: ledgerEntries.amountMinor,
      createdAt: ledgerEntries.createdAt,
    })
    .from(ledgerEntries)
    .where(
      sql`${ledgerEntries.reversesTransactionId} = ${originalId}
        AND ${ledgerEntries.type} IN ('WITHDRAWAL', 'TRANSFER_OUT', 'FUND')`,
    )
    .orderBy(asc(ledgerEntries.createdAt), asc(ledgerEntries.id));
  return rows;
}
