import { sql } from 'drizzle-orm';

import type { Tx } from './transaction';
import type { Violation } from './verify';

/**
 * The double-entry checks of `ledger:verify`: every transaction's entries sum to zero,
 * the whole ledger (wallets and external accounts) sums to zero per currency, and each
 * counter-entry sits on its currency's external account and balances one FUND or
 * WITHDRAWAL of the same amount on the wallet it names; the entries of one transaction
 * carry one metadata.
 */

/** An entry's effect on its wallet's balance, in SQL (the debits of vocabulary.ts). */
export const SIGNED_AMOUNT = sql.raw(
  `CASE WHEN type IN ('TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER') THEN -amount_minor ELSE amount_minor END`,
);

type Rows = <T>(tx: Tx, query: ReturnType<typeof sql>) => Promise<T[]>;

export async function doubleEntryViolations(
  tx: Tx,
  rows: Rows,
  limit: ReturnType<typeof sql>,
): Promise<Violation[]> {
  const unbalanced = await rows<{ transaction_id: string; wallet_ids: string[]; sum: string }>(
    tx,
    sql`SELECT coalesce(transfer_id, id) AS transaction_id,
               array_agg(DISTINCT wallet_id::text) AS wallet_ids, sum(${SIGNED_AMOUNT})::text AS sum
          FROM ledger_entries GROUP BY coalesce(transfer_id, id)
        HAVING sum(${SIGNED_AMOUNT}) <> 0
         LIMIT ${limit}`,
  );
  // Metadata is stored on each entry of a transaction, written together: it must agree.
  const divergent = await rows<{ transaction_id: string; wallet_ids: string[] }>(
    tx,
    sql`SELECT coalesce(transfer_id, id) AS transaction_id,
               array_agg(DISTINCT wallet_id::text) AS wallet_ids
          FROM ledger_entries GROUP BY coalesce(transfer_id, id)
        HAVING count(DISTINCT metadata) > 1
         LIMIT ${limit}`,
  );
  const currencies = await rows<{ currency: string; sum: string }>(
    tx,
    sql`SELECT currency, sum(balance_minor)::text AS sum FROM wallets
         GROUP BY currency HAVING sum(balance_minor) <> 0 ORDER BY currency`,
  );
  const misplaced = await rows<{ id: string; wallet_id: string; type: string }>(
    tx,
    sql`SELECT e.id, e.wallet_id, e.type FROM ledger_entries e
          JOIN wallets w ON w.id = e.wallet_id
          LEFT JOIN ledger_entries o ON o.id = e.transfer_id
          LEFT JOIN wallets ow ON ow.id = o.wallet_id
         WHERE (e.type IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER')) <> (w.kind = 'EXTERNAL')
            OR (e.type IN ('FUND_COUNTER', 'WITHDRAWAL_COUNTER') AND (o.id IS NULL
                OR o.type::text <> replace(e.type::text, '_COUNTER', '')
                OR o.amount_minor <> e.amount_minor OR o.wallet_id <> e.counterparty_wallet_id
                OR ow.currency <> w.currency))
         LIMIT ${limit}`,
  );
  return [
    ...unbalanced.map((row): Violation => ({
      kind: 'UNBALANCED_TRANSACTION',
      walletIds: row.wallet_ids,
      detail: `transaction ${row.transaction_id}: entries sum to ${row.sum} minor units, not 0`,
    })),
    ...currencies.map((row): Violation => ({
      kind: 'LEDGER_NOT_ZERO_SUM',
      walletIds: [],
      detail: `${row.currency}: balances of wallets and external account sum to ${row.sum} minor units, not 0`,
    })),
    ...divergent.map((row): Violation => ({
      kind: 'TRANSACTION_METADATA_DIFFERS',
      walletIds: row.wallet_ids,
      detail: `transaction ${row.transaction_id}: its entries carry different metadata`,
    })),
    ...misplaced.map((row): Violation => ({
      kind: 'MISPLACED_COUNTER_ENTRY',
      walletIds: [row.wallet_id],
      detail: `entry ${row.id} (${row.type}) is not where double entry puts it`,
    })),
  ];
}
