import type { AuditRecord } from '@wallet/db';

import type { PlannedEvent } from '../events/catalogue';
import type { LockedWallet, PlannedEntry } from '../movements/book';
import type { HoldResolution, LockedHold, PlannedHold } from '../movements/hold-book';
import type { BalanceChange, KeyClaim, KeyHolder, OwnedKey } from './plan';

/**
 * Every statement a batch sends, behind one interface: the plan (plan.ts) decides, the
 * store only reads and writes rows. Each method sends its statement the moment it is
 * called and returns its answer's promise, so the caller decides what travels together:
 * calls made one after the other without an await between them are pipelined, in call
 * order, on the transaction's connection.
 */
export interface LedgerStore {
  /**
   * Claims the keys not yet taken (in the order given), locking the rows of those taken;
   * resolves to those it claimed, by scopedKey(owner, key).
   */
  claimKeys(claims: readonly KeyClaim[]): Promise<ReadonlySet<string>>;
  /**
   * Locks the wallets, and the external accounts of the currencies of `externalFor`'s
   * wallets, in one statement (FOR UPDATE, in id order); the ones missing are absent.
   */
  lockWallets(
    walletIds: readonly string[],
    externalFor: readonly string[],
    byHolds?: HoldLocks,
  ): Promise<LockedRows>;
  /**
   * Locks these holds (FOR UPDATE, in id order), with their wallet's currency; the ones
   * missing are absent. Sent before lockWallets: every batch locks holds, then wallets.
   */
  lockHolds(holdIds: readonly string[]): Promise<Map<string, LockedHold>>;
  insertHolds(holds: readonly PlannedHold[]): Promise<unknown>;
  /** Resolves pending holds; the database refuses (holds_resolved_once) any other. */
  resolveHolds(resolutions: readonly HoldResolution[]): Promise<unknown>;
  /**
   * What is reversed of each of these originals, by id (one without a reversal is absent),
   * locking their rows. Sent after lockWallets: the original's wallets, which every
   * reversal of it locks, are held by then, so this statement sees every committed one.
   */
  readReversals(originalIds: readonly string[]): Promise<Map<string, bigint>>;
  /** What holds each of these keys, by scopedKey; a new statement sees a commit made meanwhile. */
  readTakenKeys(keys: readonly OwnedKey[]): Promise<Map<string, KeyHolder>>;
  appendAudits(audits: readonly AuditRecord[]): Promise<unknown>;
  releaseKeys(keys: readonly OwnedKey[]): Promise<unknown>;
  /**
   * Entries before balances: a balance must match an existing entry (a foreign key). Both
   * are stamped `stampedAt` (LockedRows.stampedAt): the entries' created_at, the wallets'
   * updated_at.
   */
  appendEntries(entries: readonly PlannedEntry[], stampedAt: string): Promise<unknown>;
  updateBalances(changes: readonly BalanceChange[], stampedAt: string): Promise<unknown>;
  /** The batch's outbox rows, in the order given (their position follows it), stamped as its entries. */
  appendEvents(events: readonly PlannedEvent[], stampedAt: string): Promise<unknown>;
}

/**
 * The wallets lockWallets also locks through holds: each hold's wallet and receiver, and
 * for a capture without a receiver its currency's external account.
 */
export interface HoldLocks {
  holdIds: readonly string[];
  captureHoldIds: readonly string[];
}

export interface LockedRows {
  locked: Map<string, LockedWallet>;
  /**
   * The batch's time, exact to the microsecond as PostgreSQL text: the transaction's start
   * (now()), or just after the latest change of a locked wallet if that is later. A batch that began
   * before another committed on the same wallet would otherwise stamp its entries earlier
   * than their predecessors; with it, every wallet's entries are in time order along its
   * chain, which as-of balances rely on (and ledger_entries_created_in_chain_order checks).
   */
  stampedAt: string;
  /** stampedAt as a Date (to the millisecond): what the movements report. */
  now: Date;
}
