import { reverseTransactionInput, type ReverseTransactionInput } from '@wallet/contract';
import { schema, type Db, type WriteContext } from '@wallet/db';
import { sql } from 'drizzle-orm';

import { auditOfWrite } from './audit';
import { assert } from './assert';
import { TransactionNotFoundError, TransactionNotReversibleError } from './errors';
import { idempotencyClaim, metadataFields } from './idempotency';
import { newId } from './ids';
import { parseInput } from './input';
import type { ReverseRequest, ReversibleOriginal } from './writes';

const { ledgerEntries } = schema;

/**
 * A reversal names only its original. Here the original is read (its kind, amount and
 * wallets: facts that never change once written, so reading them before the batch locks
 * is no race), a reversal of a reversal is refused, and the reversal gets its id; the
 * group committer applies it (apply-batch.ts, movements/reverse.ts) with the original's
 * wallets locked and what is already reversed of it read under those locks. The read
 * goes to the primary: a client reverses what it has just been told was written.
 */
export async function prepareReversal(
  db: Db,
  input: ReverseTransactionInput,
  context?: WriteContext,
): Promise<ReverseRequest> {
  const request = parseInput(reverseTransactionInput, input);
  const original = await readReversibleOriginal(db, request.transactionId.toLowerCase());
  const amount = request.amount ?? null;
  const description = request.description ?? null;
  const metadata = request.metadata ?? {};
  const reversalId = newId();
  return {
    kind: 'REVERSE',
    reversalId,
    original,
    amount,
    description,
    metadata,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'REVERSE', [
      original.id,
      amount,
      description,
      ...metadataFields(metadata),
    ]),
    audit: context
      ? auditOfWrite(context, 'transactions.reverse', original.id, {
          reversalId,
          amount,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}

/**
 * The original by its id or a transfer leg's id: its clients' entries (never the external
 * account's counter-entries), by the primary key and the (transfer_id, type) index.
 */
async function readReversibleOriginal(db: Db, id: string): Promise<ReversibleOriginal> {
  const rows = await db
    .select({
      id: ledgerEntries.id,
      type: ledgerEntries.type,
      walletId: ledgerEntries.walletId,
      transferId: ledgerEntries.transferId,
      amountMinor: ledgerEntries.amountMinor,
      reversesTransactionId: ledgerEntries.reversesTransactionId,
    })
    .from(ledgerEntries)
    .where(
      sql`(${ledgerEntries.id} = ${id} OR ${ledgerEntries.transferId} = ${id}
        OR ${ledgerEntries.transferId} = (SELECT leg.transfer_id FROM ledger_entries AS leg
          WHERE leg.id = ${id}))
        AND ${ledgerEntries.type} NOT IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')`,
    );
  const first = rows[0];
  if (!first) throw new TransactionNotFoundError(id);
  if (first.reversesTransactionId !== null) {
    throw new TransactionNotReversibleError(first.transferId ?? first.id);
  }
  if (first.transferId === null) {
    assert(rows.length === 1, 'a funding or withdrawal has one entry on a wallet');
    assert(first.type === 'FUND' || first.type === 'WITHDRAWAL', 'a one-leg transaction');
    const kind = first.type;
    return {
      id: first.id,
      kind,
      amountMinor: first.amountMinor,
      walletId: first.walletId,
      receiverWalletId: null,
    };
  }
  const sender = rows.find((row) => row.type === 'TRANSFER_OUT');
  const receiver = rows.find((row) => row.type === 'TRANSFER_IN');
  assert(rows.length === 2 && sender && receiver, 'a transfer has two legs');
  return {
    id: first.transferId,
    kind: 'TRANSFER',
    amountMinor: sender.amountMinor,
    walletId: sender.walletId,
    receiverWalletId: receiver.walletId,
  };
}
