import type { AuditRecord } from '@wallet/db';

import { assert } from '../assert';
import { DuplicateIdempotencyKeyError, LedgerError } from '../errors';
import { Book, type LockedWallet, type PlannedEntry } from '../movements/book';
import { applyFund } from '../movements/fund';
import { applyTransfer } from '../movements/transfer';
import { walletIdsOf, type WriteOutcome, type WriteRequest, type WriteResult } from '../writes';

/**
 * The plan of a batch, without a database: from the requests and the rows the store
 * locked for them, each request's outcome and the rows to write. The requests are
 * applied one by one in batch order, exactly as if each had run alone in that order.
 */

/** An idempotency key to claim, in the shape the store sends it. */
export interface KeyClaim {
  key: string;
  operation: WriteRequest['kind'];
  fingerprint: string;
  transaction_id: string;
}

/** What holds a key this batch could not claim. */
export interface KeyHolder {
  operation: string;
  requestFingerprint: string;
  transactionId: string;
}

export type TakenKeys = ReadonlyMap<string, KeyHolder>;

/** One wallets row to update, in the shape the store sends it. */
export interface BalanceChange {
  id: string;
  balance_minor: string;
  last_entry_sequence: number;
}

/** A batch in one transaction holds each idempotency key once (the batcher sees to it). */
export function assertDistinctKeys(requests: readonly WriteRequest[]): void {
  const keys = requests.flatMap((request) => request.idempotency?.key ?? []);
  assert(new Set(keys).size === keys.length, 'an idempotency key appears twice in one batch');
}

/**
 * What to claim and lock, each in one global order (byte order, the same in every
 * process) that every transaction follows: keys first, then wallets. So two batches,
 * in this process or another, queue; they never deadlock.
 */
export function lockOrderOf(requests: readonly WriteRequest[]): {
  claims: KeyClaim[];
  walletIds: string[];
} {
  const claims = requests
    .flatMap((request): KeyClaim[] => {
      const claim = request.idempotency;
      if (claim === null) return [];
      return [
        {
          key: claim.key,
          operation: request.kind,
          fingerprint: claim.fingerprint,
          transaction_id: request.kind === 'FUND' ? request.entryId : request.transferId,
        },
      ];
    })
    .sort((a, b) => compareText(a.key, b.key));
  const walletIds = [...new Set(requests.flatMap(walletIdsOf))].sort(compareText);
  return { claims, walletIds };
}

export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The keys of requests whose claim found the key already taken. */
export function untakenKeysOf(
  requests: readonly WriteRequest[],
  claimedKeys: ReadonlySet<string>,
): string[] {
  return requests.flatMap((request) => {
    const key = request.idempotency?.key;
    return key !== undefined && !claimedKeys.has(key) ? [key] : [];
  });
}

/** What the store found: the locked rows, the transaction's time, the keys it claimed. */
export interface BatchSnapshot {
  locked: ReadonlyMap<string, LockedWallet>;
  now: Date;
  claimedKeys: ReadonlySet<string>;
  takenBy: TakenKeys;
}

/** The plan's effect: an outcome per request, and every row to write. */
export interface BatchWrites {
  outcomes: WriteOutcome[];
  entries: PlannedEntry[];
  balances: BalanceChange[];
  /** Keys this batch claimed for requests that were refused: left free again. */
  releasedKeys: string[];
  /** The audit rows of the requests that succeeded. */
  audits: AuditRecord[];
}

export function planBatch(requests: readonly WriteRequest[], snapshot: BatchSnapshot): BatchWrites {
  const book = new Book(snapshot.locked, snapshot.now);
  const outcomes = requests.map((request) => applyOne(book, request, snapshot.takenBy));
  const releasedKeys = requests.flatMap((request, index) => {
    const key = request.idempotency?.key;
    return key !== undefined && snapshot.claimedKeys.has(key) && !outcomes[index]?.ok ? [key] : [];
  });
  const audits = requests.flatMap((request, index) =>
    request.audit && outcomes[index]?.ok ? [request.audit] : [],
  );
  const balances =
    book.entries.length === 0
      ? []
      : book.changedWallets().map((wallet) => ({
          id: wallet.id,
          balance_minor: String(wallet.balanceMinor),
          last_entry_sequence: wallet.lastEntrySequence,
        }));
  return { outcomes, entries: book.entries, balances, releasedKeys, audits };
}

/** One request's outcome: a refusal (a LedgerError) changes nothing in the book. */
function applyOne(book: Book, request: WriteRequest, takenBy: TakenKeys): WriteOutcome {
  try {
    const key = request.idempotency?.key;
    const holder = key === undefined ? undefined : takenBy.get(key);
    if (key !== undefined && holder) {
      const sameRequest =
        holder.operation === request.kind &&
        holder.requestFingerprint === request.idempotency?.fingerprint;
      throw new DuplicateIdempotencyKeyError(key, holder.transactionId, sameRequest);
    }
    const value: WriteResult =
      request.kind === 'FUND' ? applyFund(book, request) : applyTransfer(book, request);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof LedgerError) return { ok: false, error };
    throw error;
  }
}
