import { sql } from 'drizzle-orm';

import type { Tx } from './transaction';
import type { Violation } from './verify';

/**
 * The holds' checks of `ledger:verify`: no wallet's available (balance - held) is below
 * zero, nor its held (an external account holds nothing); each wallet's held is the sum of its PENDING
 * holds; each CAPTURED hold has exactly its capture's entries (one debit of the captured
 * amount on its wallet, and the matching credit on its receiver or the external account),
 * and no entry names a hold that is not CAPTURED.
 */

type Rows = <T>(tx: Tx, query: ReturnType<typeof sql>) => Promise<T[]>;

export async function holdViolations(
  tx: Tx,
  rows: Rows,
  limit: ReturnType<typeof sql>,
): Promise<Violation[]> {
  const held = await rows<{ id: string; held: string; pending: string }>(
    tx,
    sql`SELECT w.id, w.held_minor::text AS held, coalesce(p.pending, 0)::text AS pending
          FROM wallets w
          LEFT JOIN (SELECT wallet_id, sum(amount_minor) AS pending FROM holds
                      WHERE status = 'PENDING' GROUP BY wallet_id) p ON p.wallet_id = w.id
         WHERE w.held_minor <> coalesce(p.pending, 0)
         LIMIT ${limit}`,
  );
  const overHeld = await rows<{ id: string; balance: string; held: string }>(
    tx,
    sql`SELECT id, balance_minor::text AS balance, held_minor::text AS held FROM wallets
         WHERE held_minor < 0 OR (kind = 'USER' AND balance_minor - held_minor < 0)
            OR (kind = 'EXTERNAL' AND held_minor <> 0)
         LIMIT ${limit}`,
  );
  const captures = await rows<{ id: string; wallet_id: string; detail: string }>(
    tx,
    sql`SELECT h.id, h.wallet_id,
               format('hold %s (%s, captured %s): %s entries, debit %s on its wallet, credit %s',
                      h.id, h.status, h.captured_minor, count(e.id),
                      coalesce(sum(e.amount_minor) FILTER (WHERE e.type IN ('TRANSFER_OUT', 'WITHDRAWAL')
                        AND e.wallet_id = h.wallet_id), 0),
                      coalesce(sum(e.amount_minor) FILTER (WHERE e.type IN ('TRANSFER_IN', 'WITHDRAWAL_COUNTER')
                        AND e.wallet_id = coalesce(h.receiver_wallet_id, e.wallet_id)), 0)) AS detail
          FROM holds h LEFT JOIN ledger_entries e ON e.hold_id = h.id
         GROUP BY h.id
        HAVING (h.status = 'CAPTURED') <> (count(e.id) = 2)
            OR (h.status = 'CAPTURED' AND (
                 coalesce(sum(e.amount_minor) FILTER (WHERE e.type IN ('TRANSFER_OUT', 'WITHDRAWAL')
                   AND e.wallet_id = h.wallet_id), 0) <> h.captured_minor
              OR coalesce(sum(e.amount_minor) FILTER (WHERE e.type IN ('TRANSFER_IN', 'WITHDRAWAL_COUNTER')
                   AND e.wallet_id = coalesce(h.receiver_wallet_id, e.wallet_id)), 0) <> h.captured_minor
              OR bool_or(e.type IN ('TRANSFER_IN', 'TRANSFER_OUT')) <> (h.receiver_wallet_id IS NOT NULL)))
         LIMIT ${limit}`,
  );
  return [
    ...held.map((row): Violation => ({
      kind: 'HELD_NOT_SUM_OF_PENDING_HOLDS',
      walletIds: [row.id],
      detail: `held ${row.held} but its pending holds sum to ${row.pending} minor units`,
    })),
    ...overHeld.map((row): Violation => ({
      kind: 'NEGATIVE_AVAILABLE',
      walletIds: [row.id],
      detail: `balance ${row.balance} less held ${row.held} is not a spendable amount`,
    })),
    ...captures.map((row): Violation => ({
      kind: 'HOLD_CAPTURE_MISMATCH',
      walletIds: [row.wallet_id],
      detail: row.detail,
    })),
  ];
}
