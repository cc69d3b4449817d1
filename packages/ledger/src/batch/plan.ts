import type { AuditRecord } from '@wallet/db';

import { assert } from '../assert';
import { LedgerError } from '../errors';
import type { PlannedEvent } from '../events/catalogue';
import { duplicateKeyError, scopedKey } from '../idempotency';
import { Book, type LockedWallet, type PlannedEntry } from '../movements/book';
import { applyCaptureHold } from '../movements/capture-hold';
import { applyFund } from '../movements/fund';
import type { HoldResolution, LockedHold, PlannedHold } from '../movements/hold-book';
import { applyPlaceHold } from '../movements/place-hold';
import { applyVoidHold } from '../movements/void-hold';
import { applyReverse, ReversalTally } from '../movements/reverse';
import { applyTransfer } from '../movements/transfer';
import { applyWithdraw } from '../movements/withdraw';
import {
  externalAccountWalletIdsOf,
  holdIdsOf,
  reversedOriginalIdsOf,
  transactionIdOf,
  walletIdsOf,
  type WriteOutcome,
  type WriteRequest,
  type WriteResult,
} from '../writes';

/**
 * The plan of a batch, without a database: from the requests and the rows the store
 * locked for them, each request's outcome and the rows to write. The requests are
 * applied one by one in batch order, exactly as if each had run alone in that order.
 */

/** An idempotency key to claim, in the shape the store sends it. */
export interface KeyClaim {
  owner: string;
  key: string;
  operation: WriteRequest['kind'];
  fingerprint: string;
  transaction_id: string;
}

/** An owner's key, in the shape the store sends it. */
export interface OwnedKey {
  owner: string;
  key: string;
}

/** What holds a key this batch could not claim. */
export interface KeyHolder extends OwnedKey {
  operation: string;
  requestFingerprint: string;
  transactionId: string;
}

/** By scopedKey(owner, key). */
export type TakenKeys = ReadonlyMap<string, KeyHolder>;

/** One wallets row to update, in the shape the store sends it. */
export interface BalanceChange {
  id: string;
  balance_minor: string;
  held_minor: string;
  /** Null only for a wallet without entries (whose held cannot change: it has nothing). */
  last_entry_sequence: number | null;
}

/** The scoped key (owner and key) a request claims, if any. */
export function claimedKeyOf(request: WriteRequest): string | undefined {
  const claim = request.idempotency;
  return claim === null ? undefined : scopedKey(claim.owner, claim.key);
}

/** A batch in one transaction holds each owner's key once (the batcher sees to it). */
export function assertDistinctKeys(requests: readonly WriteRequest[]): void {
  const keys = requests.flatMap((request) => claimedKeyOf(request) ?? []);
  assert(new Set(keys).size === keys.length, 'an idempotency key appears twice in one batch');
}

/**
 * What to claim and lock, each in one global order (byte order, the same in every
 * process) that every transaction follows: keys first (by owner, then key), then wallets
 * by id, then the external accounts of the currencies of `externalFor`'s wallets by id
 * (in the wallets' statement: once per batch, whatever its size). So two batches, in
 * this process or another, queue; they never deadlock.
 */
export function lockOrderOf(requests: readonly WriteRequest[]): {
  claims: KeyClaim[];
  walletIds: string[];
  externalFor: string[];
} {
  const claims = requests
    .flatMap((request): KeyClaim[] => {
      const claim = request.idempotency;
      if (claim === null) return [];
      return [
        {
          owner: claim.owner,
          key: claim.key,
          operation: request.kind,
          fingerprint: claim.fingerprint,
          transaction_id: transactionIdOf(request),
        },
      ];
    })
    .sort((a, b) => compareText(a.owner, b.owner) || compareText(a.key, b.key));
  const walletIds = [...new Set(requests.flatMap(walletIdsOf))].sort(compareText);
  const externalFor = [...new Set(requests.flatMap(externalAccountWalletIdsOf))].sort(compareText);
  return { claims, walletIds, externalFor };
}

/**
 * The holds to lock, by id, after the keys and before every wallet (theirs are locked
 * with the others, by the holds: the store reads which they are), and the captures'
 * among them (a capture out also locks its currency's external account).
 */
export function holdLockOrderOf(requests: readonly WriteRequest[]): {
  holdIds: string[];
  captureHoldIds: string[];
} {
  const holdIds = [...new Set(requests.flatMap(holdIdsOf))].sort(compareText);
  const captures = requests.flatMap((request) =>
    request.kind === 'CAPTURE_HOLD' ? [request.holdId] : [],
  );
  return { holdIds, captureHoldIds: [...new Set(captures)].sort(compareText) };
}

/**
 * The originals whose transaction_reversals rows the batch reads (and locks), by id: after
 * the wallets and external accounts, in the same global order for every batch.
 */
export function reversalOrderOf(requests: readonly WriteRequest[]): string[] {
  return [...new Set(requests.flatMap(reversedOriginalIdsOf))].sort(compareText);
}

export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The keys of requests whose claim found the key already taken (claimedKeys: scoped). */
export function untakenKeysOf(
  requests: readonly WriteRequest[],
  claimedKeys: ReadonlySet<string>,
): OwnedKey[] {
  return requests.flatMap((request) => {
    const claim = request.idempotency;
    if (claim === null || claimedKeys.has(scopedKey(claim.owner, claim.key))) return [];
    return [{ owner: claim.owner, key: claim.key }];
  });
}

/** What the store found: the locked rows, the transaction's time, the keys it claimed. */
export interface BatchSnapshot {
  locked: ReadonlyMap<string, LockedWallet>;
  now: Date;
  /** By scopedKey(owner, key). */
  claimedKeys: ReadonlySet<string>;
  takenBy: TakenKeys;
  /** The holds the captures and voids name, locked (absent: none). */
  holds?: ReadonlyMap<string, LockedHold>;
  /**
   * What is reversed of each original the batch reverses, by original id (one missing has
   * no reversal yet); absent when the batch reverses nothing.
   */
  reversedMinor?: ReadonlyMap<string, bigint>;
}

/** The plan's effect: an outcome per request, and every row to write. */
export interface BatchWrites {
  outcomes: WriteOutcome[];
  entries: PlannedEntry[];
  balances: BalanceChange[];
  /** Keys this batch claimed for requests that were refused: left free again. */
  releasedKeys: OwnedKey[];
  /** The audit rows of the requests that succeeded. */
  audits: AuditRecord[];
  /** The outbox rows of the requests that succeeded: one or more each, none for a refusal. */
  events: PlannedEvent[];
  /** Holds placed, and holds captured, voided or expired. */
  placedHolds: PlannedHold[];
  resolvedHolds: HoldResolution[];
}

export function planBatch(requests: readonly WriteRequest[], snapshot: BatchSnapshot): BatchWrites {
  const book = new Book(snapshot.locked, snapshot.now, snapshot.holds);
  const tally = new ReversalTally(snapshot.reversedMinor ?? new Map());
  const outcomes = requests.map((request) => applyOne(book, tally, request, snapshot));
  const releasedKeys = requests.flatMap((request, index): OwnedKey[] => {
    const claim = request.idempotency;
    if (claim === null || outcomes[index]?.ok) return [];
    if (!snapshot.claimedKeys.has(scopedKey(claim.owner, claim.key))) return [];
    return [{ owner: claim.owner, key: claim.key }];
  });
  const audits = requests.flatMap((request, index) =>
    request.audit && outcomes[index]?.ok ? [request.audit] : [],
  );
  const balances = book.changedWallets().map((wallet) => ({
    id: wallet.id,
    balance_minor: String(wallet.balanceMinor),
    held_minor: String(wallet.heldMinor),
    last_entry_sequence: wallet.lastEntrySequence === 0 ? null : wallet.lastEntrySequence,
  }));
  return {
    outcomes,
    entries: book.entries,
    balances,
    releasedKeys,
    audits,
    placedHolds: book.holds.placed,
    resolvedHolds: book.holds.resolved,
    events: book.events,
  };
}

/** One request's outcome: a refusal (a LedgerError) changes nothing in the book. */
function applyOne(
  book: Book,
  tally: ReversalTally,
  request: WriteRequest,
  snapshot: BatchSnapshot,
): WriteOutcome {
  try {
    const claim = request.idempotency;
    const scoped = claim === null ? undefined : scopedKey(claim.owner, claim.key);
    const holder = scoped === undefined ? undefined : snapshot.takenBy.get(scoped);
    // A key not claimed is held: the claim locked the holding row, so nothing (a refused
    // write's release, the retention's clean-up) can have removed it since.
    assert(
      scoped === undefined || snapshot.claimedKeys.has(scoped) || holder,
      'an idempotency key neither claimed nor held',
    );
    if (claim !== null && holder) {
      throw duplicateKeyError(claim.key, holder, {
        operation: request.kind,
        fingerprint: claim.fingerprint,
      });
    }
    const value: WriteResult = applyRequest(book, tally, request);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof LedgerError) return { ok: false, error };
    throw error;
  }
}

function applyRequest(book: Book, tally: ReversalTally, request: WriteRequest): WriteResult {
  switch (request.kind) {
    case 'REVERSE':
      return applyReverse(book, request, tally);
    case 'FUND':
      return applyFund(book, request);
    case 'WITHDRAW':
      return applyWithdraw(book, request);
    case 'TRANSFER':
      return applyTransfer(book, request);
    case 'PLACE_HOLD':
      return applyPlaceHold(book, request);
    case 'CAPTURE_HOLD':
      return applyCaptureHold(book, request);
    case 'VOID_HOLD':
      return applyVoidHold(book, request);
  }
}
