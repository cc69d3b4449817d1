import { sql } from 'drizzle-orm';
import type { CurrencyCode } from '@wallet/contract';
import type { Db } from '@wallet/db';

import { currencyOf } from './rows';
import { inTransaction, type Tx } from './transaction';
import { doubleEntryViolations, SIGNED_AMOUNT } from './verify-double-entry';
import { holdViolations } from './verify-holds';
import { reversalViolations } from './verify-reversals';
import { walletStatusViolations } from './verify-wallet-status';

/**
 * Reconciliation: checks, in one consistent snapshot, everything the ledger promises.
 * The constraints should make every violation impossible; this proves it from the data,
 * for operators and for the tests that try hard to break it.
 */

export type ViolationKind =
  | 'NEGATIVE_BALANCE'
  | 'BALANCE_NOT_SUM_OF_ENTRIES'
  | 'BALANCE_NOT_LATEST_ENTRY'
  | 'BROKEN_CHAIN'
  | 'UNPAIRED_TRANSFER'
  | 'MONEY_NOT_CONSERVED'
  | 'UNBALANCED_TRANSACTION'
  | 'TRANSACTION_METADATA_DIFFERS'
  | 'LEDGER_NOT_ZERO_SUM'
  | 'MISPLACED_COUNTER_ENTRY'
  | 'NEGATIVE_AVAILABLE'
  | 'HELD_NOT_SUM_OF_PENDING_HOLDS'
  | 'HOLD_CAPTURE_MISMATCH'
  | 'REVERSAL_EXCEEDS_ORIGINAL'
  | 'REVERSAL_NOT_COUNTED'
  | 'MISLINKED_REVERSAL'
  | 'CLOSED_WALLET_NOT_EMPTY';

export interface Violation {
  kind: ViolationKind;
  walletIds: string[];
  detail: string;
}

/** Sums per currency over the clients' wallets (no external account), in minor units. */
export interface CurrencyTotals {
  currency: CurrencyCode;
  walletCount: number;
  balancesMinor: bigint;
  fundingsMinor: bigint;
  withdrawalsMinor: bigint;
}

export interface VerificationReport {
  checkedAt: Date;
  /** The clients' wallets, as every count and total of the report: no external account. */
  walletCount: number;
  /** Entries on the clients' wallets: what their histories show, page by page. */
  entryCount: number;
  /** The counter-entries on the currencies' external accounts (one per funding or withdrawal). */
  externalEntryCount: number;
  totals: CurrencyTotals[];
  violations: Violation[];
  /** True when there were more violations than VIOLATIONS_REPORTED_MAX: the list is cut. */
  truncated: boolean;
}

/** The report's worst-case size: a broken ledger is described, not dumped. */
export const VIOLATIONS_REPORTED_MAX = 1_000;

export async function verifyLedger(db: Db): Promise<VerificationReport> {
  return inTransaction(
    db,
    async (tx) => {
      const totals = await readTotals(tx);
      const [counts] = await rows<{
        wallets: string;
        entries: string;
        externalEntries: string;
        now: Date;
      }>(
        tx,
        sql`SELECT (SELECT count(*) FROM wallets WHERE kind = 'USER') AS wallets,
                   count(*) FILTER (WHERE w.kind = 'USER') AS entries,
                   count(*) FILTER (WHERE w.kind = 'EXTERNAL') AS "externalEntries",
                   now() AS now
              FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id`,
      );
      const found = [
        ...(await negativeBalances(tx)),
        ...(await balancesAgainstEntries(tx)),
        ...(await brokenChains(tx)),
        ...(await unpairedTransfers(tx)),
        ...unconservedCurrencies(totals),
        ...(await doubleEntryViolations(tx, rows, limit)),
        ...(await holdViolations(tx, rows, limit)),
        ...(await reversalViolations(tx, rows, limit)),
        ...(await walletStatusViolations(tx, rows, limit)),
      ];
      return {
        checkedAt: new Date(counts?.now ?? Date.now()),
        walletCount: Number(counts?.wallets ?? 0),
        entryCount: Number(counts?.entries ?? 0),
        externalEntryCount: Number(counts?.externalEntries ?? 0),
        totals,
        violations: found.slice(0, VIOLATIONS_REPORTED_MAX),
        truncated: found.length > VIOLATIONS_REPORTED_MAX,
      };
    },
    'snapshot read',
  );
}

/**
 * Balances, fundings, withdrawals and wallet counts per currency, over the clients'
 * wallets (the external accounts hold minus the same), in one statement (one snapshot).
 */
export async function readTotals(db: Db | Tx): Promise<CurrencyTotals[]> {
  const result = await rows<{
    currency: string;
    wallets: string;
    balances: string;
    fundings: string;
    withdrawals: string;
  }>(
    db,
    sql`SELECT w.currency,
               count(*) AS wallets,
               coalesce(sum(w.balance_minor), 0)::text AS balances,
               coalesce(sum(f.funded), 0)::text AS fundings,
               coalesce(sum(f.withdrawn), 0)::text AS withdrawals
          FROM wallets w
          LEFT JOIN (SELECT wallet_id,
                            sum(amount_minor) FILTER (WHERE type = 'FUND') AS funded,
                            sum(amount_minor) FILTER (WHERE type = 'WITHDRAWAL') AS withdrawn
                       FROM ledger_entries WHERE type IN ('FUND', 'WITHDRAWAL')
                      GROUP BY wallet_id) f
            ON f.wallet_id = w.id
         WHERE w.kind = 'USER'
         GROUP BY w.currency ORDER BY w.currency`,
  );
  return result.map((row) => ({
    currency: currencyOf(row),
    walletCount: Number(row.wallets),
    balancesMinor: BigInt(row.balances),
    fundingsMinor: BigInt(row.fundings),
    withdrawalsMinor: BigInt(row.withdrawals),
  }));
}

async function rows<T>(db: Db | Tx, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)) as unknown as T[];
}

// One more than reported, so that a cut list can say so.
const limit = sql.raw(String(VIOLATIONS_REPORTED_MAX + 1));

async function negativeBalances(tx: Tx): Promise<Violation[]> {
  const found = await rows<{ id: string; balance: string }>(
    tx,
    // An external account's balance is at most zero: minus the money that entered.
    sql`SELECT id, balance_minor::text AS balance FROM wallets
         WHERE (kind = 'USER' AND balance_minor < 0) OR (kind = 'EXTERNAL' AND balance_minor > 0)
         LIMIT ${limit}`,
  );
  return found.map((row) => ({
    kind: 'NEGATIVE_BALANCE',
    walletIds: [row.id],
    detail: `balance is ${row.balance} minor units (on the wrong side of zero)`,
  }));
}

async function balancesAgainstEntries(tx: Tx): Promise<Violation[]> {
  const found = await rows<{ id: string; balance: string; summed: string; latest: string | null }>(
    tx,
    sql`SELECT w.id, w.balance_minor::text AS balance,
               coalesce(s.summed, 0)::text AS summed, l.balance_after_minor::text AS latest
          FROM wallets w
          LEFT JOIN (SELECT wallet_id,
                            sum(${SIGNED_AMOUNT}) AS summed,
                            max(sequence) AS last_sequence
                       FROM ledger_entries GROUP BY wallet_id) s ON s.wallet_id = w.id
          LEFT JOIN ledger_entries l ON l.wallet_id = w.id AND l.sequence = s.last_sequence
         WHERE w.balance_minor <> coalesce(s.summed, 0)
            OR w.balance_minor <> coalesce(l.balance_after_minor, 0)
         LIMIT ${limit}`,
  );
  return found.flatMap((row) => {
    const violations: Violation[] = [];
    if (row.balance !== row.summed) {
      violations.push({
        kind: 'BALANCE_NOT_SUM_OF_ENTRIES',
        walletIds: [row.id],
        detail: `balance ${row.balance} but entries sum to ${row.summed} minor units`,
      });
    }
    if (row.balance !== (row.latest ?? '0')) {
      violations.push({
        kind: 'BALANCE_NOT_LATEST_ENTRY',
        walletIds: [row.id],
        detail: `balance ${row.balance} but the latest entry ends at ${row.latest ?? 'nothing'}`,
      });
    }
    return violations;
  });
}

async function brokenChains(tx: Tx): Promise<Violation[]> {
  const found = await rows<{ wallet_id: string; sequence: string; detail: string }>(
    tx,
    sql`SELECT wallet_id, sequence::text AS sequence,
               format('entry %s: sequence follows %s, balance before %s follows balance after %s',
                      sequence, coalesce(previous::text, 'nothing'), balance_before_minor,
                      coalesce(previous_after::text, '0')) AS detail
          FROM (SELECT wallet_id, sequence, balance_before_minor,
                       lag(sequence) OVER w AS previous,
                       lag(balance_after_minor) OVER w AS previous_after
                  FROM ledger_entries
                WINDOW w AS (PARTITION BY wallet_id ORDER BY sequence)) chained
         WHERE sequence <> coalesce(previous, 0) + 1
            OR balance_before_minor <> coalesce(previous_after, 0)
         LIMIT ${limit}`,
  );
  return found.map((row) => ({
    kind: 'BROKEN_CHAIN',
    walletIds: [row.wallet_id],
    detail: row.detail,
  }));
}

async function unpairedTransfers(tx: Tx): Promise<Violation[]> {
  const found = await rows<{ transfer_id: string; wallet_ids: string[] }>(
    tx,
    sql`SELECT e.transfer_id, array_agg(e.wallet_id::text ORDER BY e.type) AS wallet_ids
          FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id
         WHERE e.transfer_id IS NOT NULL AND e.type IN ('TRANSFER_OUT', 'TRANSFER_IN')
         GROUP BY e.transfer_id
        HAVING count(*) <> 2
            OR count(*) FILTER (WHERE e.type = 'TRANSFER_OUT') <> 1
            OR count(*) FILTER (WHERE e.type = 'TRANSFER_IN') <> 1
            OR min(e.amount_minor) <> max(e.amount_minor)
            OR min(w.currency) <> max(w.currency)
            OR bool_or(e.counterparty_wallet_id IS NULL)
         LIMIT ${limit}`,
  );
  return found.map((row) => ({
    kind: 'UNPAIRED_TRANSFER',
    walletIds: row.wallet_ids,
    detail: `transfer ${row.transfer_id} is not one TRANSFER_OUT and one TRANSFER_IN of one amount and currency`,
  }));
}

function unconservedCurrencies(totals: CurrencyTotals[]): Violation[] {
  return totals
    .filter((total) => total.balancesMinor !== total.fundingsMinor - total.withdrawalsMinor)
    .map((total) => ({
      kind: 'MONEY_NOT_CONSERVED',
      walletIds: [],
      detail: `${total.currency}: balances sum to ${total.balancesMinor} minor units, fundings less withdrawals to ${total.fundingsMinor - total.withdrawalsMinor}`,
    }));
}
