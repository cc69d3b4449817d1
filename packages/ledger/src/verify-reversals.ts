import { sql } from 'drizzle-orm';

import type { Tx } from './transaction';
import type { Violation } from './verify';

/**
 * The reversal checks of `ledger:verify`: what is reversed of a transaction never
 * exceeds it, every reversal entry is counted in its original's transaction_reversals
 * row, and every reversal mirrors its original (its entries on the same wallets with the
 * same counterparties, each of the opposite type, all naming the same original, which
 * is no reversal itself). Each transaction summing to zero is checked with all others.
 */

type Rows = <T>(tx: Tx, query: ReturnType<typeof sql>) => Promise<T[]>;

/** The one debit entry of each reversal: the entry the database counts. */
const COUNTED_TYPES = sql.raw(`'TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'`);

/** The entry type that undoes `type`, as text. */
const OPPOSITE_TYPE = sql.raw(`CASE e.type::text
  WHEN 'FUND' THEN 'WITHDRAWAL' WHEN 'WITHDRAWAL' THEN 'FUND'
  WHEN 'FUND_COUNTER' THEN 'WITHDRAWAL_COUNTER' WHEN 'WITHDRAWAL_COUNTER' THEN 'FUND_COUNTER'
  WHEN 'TRANSFER_OUT' THEN 'TRANSFER_IN' WHEN 'TRANSFER_IN' THEN 'TRANSFER_OUT' END`);

export async function reversalViolations(
  tx: Tx,
  rows: Rows,
  limit: ReturnType<typeof sql>,
): Promise<Violation[]> {
  return [
    ...(await exceeded(tx, rows, limit)),
    ...(await uncounted(tx, rows, limit)),
    ...(await mislinked(tx, rows, limit)),
  ];
}

/** Originals reversed past their amount, by their entries or by their row. */
async function exceeded(tx: Tx, rows: Rows, limit: ReturnType<typeof sql>) {
  const found = await rows<{ original_id: string; wallet_ids: string[]; detail: string }>(
    tx,
    sql`SELECT c.original_id, array_remove(ARRAY[o.wallet_id::text], NULL) AS wallet_ids,
               format('transaction %s of %s minor units: its reversals sum to %s, its row says %s of %s',
                      c.original_id, coalesce(o.amount_minor::text, 'nothing'), c.counted,
                      coalesce(r.reversed_minor::text, 'nothing'),
                      coalesce(r.original_minor::text, 'nothing')) AS detail
          FROM (SELECT reverses_transaction_id AS original_id, sum(amount_minor) AS counted
                  FROM ledger_entries
                 WHERE reverses_transaction_id IS NOT NULL AND type IN (${COUNTED_TYPES})
                 GROUP BY reverses_transaction_id) c
          LEFT JOIN transaction_reversals r ON r.original_id = c.original_id
          -- The original's client-side entry that holds its amount (no reversal itself).
          LEFT JOIN ledger_entries o ON o.reverses_transaction_id IS NULL
               AND ((o.id = c.original_id AND o.type IN ('FUND', 'WITHDRAWAL'))
                 OR (o.transfer_id = c.original_id AND o.type = 'TRANSFER_OUT'))
         WHERE o.id IS NULL OR c.counted > o.amount_minor
            OR r.reversed_minor > r.original_minor OR r.original_minor <> o.amount_minor
         LIMIT ${limit}`,
  );
  return found.map((row): Violation => ({
    kind: 'REVERSAL_EXCEEDS_ORIGINAL',
    walletIds: row.wallet_ids,
    detail: row.detail,
  }));
}

/** Rows whose total is not the sum of the reversal entries they count. */
async function uncounted(tx: Tx, rows: Rows, limit: ReturnType<typeof sql>) {
  const found = await rows<{ original_id: string; reversed: string | null; counted: string }>(
    tx,
    sql`SELECT coalesce(r.original_id, c.original_id) AS original_id,
               r.reversed_minor::text AS reversed, coalesce(c.counted, 0)::text AS counted
          FROM transaction_reversals r
          FULL JOIN (SELECT reverses_transaction_id AS original_id, sum(amount_minor) AS counted
                       FROM ledger_entries
                      WHERE reverses_transaction_id IS NOT NULL AND type IN (${COUNTED_TYPES})
                      GROUP BY reverses_transaction_id) c ON c.original_id = r.original_id
         WHERE r.original_id IS NULL OR c.original_id IS NULL OR r.reversed_minor <> c.counted
         LIMIT ${limit}`,
  );
  return found.map((row): Violation => ({
    kind: 'REVERSAL_NOT_COUNTED',
    walletIds: [],
    detail: `transaction ${row.original_id}: reversed ${row.reversed ?? 'nothing'} minor units by its row, ${row.counted} by its reversal entries`,
  }));
}

/** Reversals that do not mirror their original, entry for entry. */
async function mislinked(tx: Tx, rows: Rows, limit: ReturnType<typeof sql>) {
  const found = await rows<{ reversal_id: string; wallet_ids: string[] }>(
    tx,
    sql`WITH reversal_entry AS (
          SELECT coalesce(e.transfer_id, e.id) AS reversal_id, e.wallet_id, e.type,
                 e.reverses_transaction_id AS original_id,
                 EXISTS (SELECT 1 FROM ledger_entries o
                          WHERE (o.transfer_id = e.reverses_transaction_id
                                 OR (o.transfer_id IS NULL AND o.id = e.reverses_transaction_id))
                            AND o.reverses_transaction_id IS NULL
                            AND o.wallet_id = e.wallet_id
                            AND o.counterparty_wallet_id IS NOT DISTINCT FROM e.counterparty_wallet_id
                            AND o.type::text = ${OPPOSITE_TYPE}) AS mirrored
            FROM ledger_entries e
           WHERE coalesce(e.transfer_id, e.id) IN (SELECT coalesce(transfer_id, id)
                  FROM ledger_entries WHERE reverses_transaction_id IS NOT NULL))
        SELECT reversal_id, array_agg(DISTINCT wallet_id::text) AS wallet_ids
          FROM reversal_entry GROUP BY reversal_id
        HAVING count(*) <> 2 OR count(DISTINCT type) <> 2 OR count(original_id) <> 2
            OR count(DISTINCT original_id) <> 1 OR NOT bool_and(mirrored)
         LIMIT ${limit}`,
  );
  return found.map((row): Violation => ({
    kind: 'MISLINKED_REVERSAL',
    walletIds: row.wallet_ids,
    detail: `reversal ${row.reversal_id} does not mirror the transaction it names, entry for entry`,
  }));
}
