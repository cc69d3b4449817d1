import { sql } from 'drizzle-orm';

import type { Tx } from './transaction';
import type { Violation } from './verify';

/**
 * The wallet status check of `ledger:verify` (belt and braces: wallets_closed_empty and
 * the close's own check should make it impossible): no CLOSED wallet holds money or has a
 * pending hold.
 */

type Rows = <T>(tx: Tx, query: ReturnType<typeof sql>) => Promise<T[]>;

export async function walletStatusViolations(
  tx: Tx,
  rows: Rows,
  limit: ReturnType<typeof sql>,
): Promise<Violation[]> {
  const found = await rows<{ id: string; detail: string }>(
    tx,
    sql`SELECT w.id,
               format('closed wallet: balance %s, held %s, %s pending holds',
                      w.balance_minor, w.held_minor,
                      (SELECT count(*) FROM holds h
                        WHERE h.wallet_id = w.id AND h.status = 'PENDING')) AS detail
          FROM wallets w
         WHERE w.status = 'CLOSED'
           AND (w.balance_minor <> 0 OR w.held_minor <> 0
             OR EXISTS (SELECT 1 FROM holds h WHERE h.wallet_id = w.id AND h.status = 'PENDING'))
         LIMIT ${limit}`,
  );
  return found.map((row) => ({
    kind: 'CLOSED_WALLET_NOT_EMPTY',
    walletIds: [row.id],
    detail: row.detail,
  }));
}
