import { getTransactionInput, type GetTransactionInput } from '@wallet/contract';
import { schema, type Db } from '@wallet/db';
import { desc, eq, sql } from 'drizzle-orm';

import { assert } from './assert';
import { TransactionNotFoundError } from './errors';
import { parseInput } from './input';
import { currencyOf, toEntry } from './rows';
import type { TransactionDetail } from './types';

const { wallets, ledgerEntries } = schema;

/**
 * One transaction by id: a FUND or WITHDRAWAL entry's id, a transfer's id, or the id of either leg of
 * a transfer (then the whole transfer). One statement, so both legs come from one
 * snapshot; the transfer's legs by the (transfer_id, type) unique index. Readable by any
 * reader, as wallets are: who may read is the role's (apps/api/src/security/operations.ts).
 */
export async function getTransaction(
  db: Db,
  input: GetTransactionInput,
): Promise<TransactionDetail> {
  const { transactionId } = parseInput(getTransactionInput, input);
  const id = transactionId.toLowerCase();
  const rows = await db
    .select({ entry: ledgerEntries, currency: wallets.currency })
    .from(ledgerEntries)
    .innerJoin(wallets, eq(wallets.id, ledgerEntries.walletId))
    // The external account's counter-entries are the ledger's own: never a client's leg.
    .where(
      sql`(${ledgerEntries.id} = ${id} OR ${ledgerEntries.transferId} = ${id}
        OR ${ledgerEntries.transferId} = (SELECT leg.transfer_id FROM ledger_entries AS leg
          WHERE leg.id = ${id}))
        AND ${ledgerEntries.type} NOT IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')`,
    )
    // TRANSFER_OUT before TRANSFER_IN (the enum's order, reversed).
    .orderBy(desc(ledgerEntries.type));
  const first = rows[0];
  if (!first) throw new TransactionNotFoundError(id);
  const legs = rows.map((row) => toEntry(row.entry, currencyOf(row)));
  const transferId = first.entry.transferId;
  assert(
    legs.length === (transferId === null ? 1 : 2),
    'a funding or withdrawal has one leg, a transfer two',
  );
  return {
    id: transferId ?? first.entry.id,
    kind:
      transferId !== null ? 'TRANSFER' : first.entry.type === 'WITHDRAWAL' ? 'WITHDRAWAL' : 'FUND',
    currency: currencyOf(first),
    amountMinor: first.entry.amountMinor,
    description: first.entry.description,
    createdAt: first.entry.createdAt,
    legs,
  };
}
