import { balanceSeriesInput, type BalanceSeriesInput, type CurrencyCode } from '@wallet/contract';
import { schema, type ConnectionDb, type Db } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';

import { assert } from './assert';
import { WalletNotFoundError } from './errors';
import { parseInput } from './input';
import { currencyOf } from './rows';
import { inPipelinedTransaction } from './transaction';

const { wallets } = schema;

export interface BalancePoint {
  /** The instant, exact to the microsecond as ISO text (a Date would cut it to milliseconds). */
  at: string;
  balanceMinor: bigint;
}

export interface BalanceSeries {
  walletId: string;
  currency: CurrencyCode;
  from: string;
  to: string;
  /** The balance at `from` and at `to`: the first and the last point. */
  openingBalanceMinor: bigint;
  closingBalanceMinor: bigint;
  /** Oldest first; `points` of them, evenly spaced, `from` and `to` included. */
  points: BalancePoint[];
}

/**
 * A wallet's balance at `points` evenly spaced instants of [from, to], as getBalanceAsOf
 * reads one (statement.ts): entries are stamped in chain order, so the balance at an
 * instant is the balance after the wallet's last entry stamped at or before it, and no
 * sum over the history is needed. One statement for the whole series (beside the
 * wallet's read, in the same round trip and snapshot): the instants are made by
 * generate_series in integer microseconds (exact, the same in every run), and each finds
 * its entry by one descent of ledger_entries_wallet_created_at_idx. Before the first
 * entry the balance is 0.
 */
export async function readBalanceSeries(db: Db, input: BalanceSeriesInput): Promise<BalanceSeries> {
  const request = parseInput(balanceSeriesInput, input);
  const { walletId, from, to, points } = request;
  return inPipelinedTransaction(db, 'snapshot read', async (tx, commit) => {
    const [wallet, rows] = await commit(() => [
      readClientWallet(tx, walletId),
      readPoints(tx, walletId, from, to, points),
    ]);
    const series = rows.map((row) => ({ at: row.at, balanceMinor: BigInt(row.balance_minor) }));
    const first = series[0];
    const last = series.at(-1);
    assert(first && last, `a balance series of ${points} points came back empty`);
    return {
      walletId: wallet.id,
      currency: currencyOf(wallet),
      from: first.at,
      to: last.at,
      openingBalanceMinor: first.balanceMinor,
      closingBalanceMinor: last.balanceMinor,
      points: series,
    };
  });
}

async function readClientWallet(tx: ConnectionDb, walletId: string) {
  const [wallet] = await tx.select().from(wallets).where(eq(wallets.id, walletId));
  // An external account is the ledger's own: to a client it does not exist.
  if (!wallet || wallet.kind !== 'USER') throw new WalletNotFoundError(walletId);
  return wallet;
}

interface PointRow extends Record<string, unknown> {
  at: string;
  /** bigint as text: the driver gives a raw query's bigint as text, and so does this cast. */
  balance_minor: string;
}

/**
 * Instant i of n is from + (to - from) · i / (n - 1), in whole microseconds (integer
 * division, so the last instant is `to` exactly). Times are the client's ISO text, read by
 * PostgreSQL to the microsecond.
 */
async function readPoints(
  tx: ConnectionDb,
  walletId: string,
  from: string,
  to: string,
  points: number,
): Promise<PointRow[]> {
  const rows = await tx.execute<PointRow>(sql`
    WITH bounds AS (
      SELECT ${from}::timestamptz AS start_at,
        (extract(epoch FROM ${to}::timestamptz - ${from}::timestamptz) * 1000000)::bigint
          AS span_us
    ), instants AS (
      SELECT ordinal, start_at + ((span_us * ordinal) / ${points - 1}::bigint)
          * interval '1 microsecond' AS at
        FROM bounds, generate_series(0, ${points - 1}::bigint) AS ordinal
    )
    SELECT to_char(instants.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
      coalesce(last_entry.balance_after_minor, 0)::text AS balance_minor
      FROM instants
      LEFT JOIN LATERAL (
        SELECT entry.balance_after_minor FROM ledger_entries AS entry
         WHERE entry.wallet_id = ${walletId} AND entry.created_at <= instants.at
         ORDER BY entry.created_at DESC, entry.sequence DESC
         LIMIT 1
      ) AS last_entry ON true
     ORDER BY instants.ordinal`);
  return rows;
}
