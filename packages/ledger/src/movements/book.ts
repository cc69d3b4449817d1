import {
  DEBIT_ENTRY_TYPES,
  isWalletEntryType,
  type CurrencyCode,
  type EntryType,
  type Metadata,
  type WalletKind,
  type WalletStatus,
} from '@wallet/contract';

import { assert } from '../assert';
import { WalletNotFoundError } from '../errors';
import type { PlannedEvent } from '../events/catalogue';
import { externalAccountIdOf } from '../external-accounts';
import { newId } from '../ids';
import type { LedgerEntry, Wallet } from '../types';
import { HoldBook, type LockedHold } from './hold-book';

/** A wallet as its locked row was read at the start of the batch: the rules' input. */
export interface LockedWallet {
  id: string;
  currency: CurrencyCode;
  /** USER: a client's wallet; EXTERNAL: its currency's world account (external-accounts.ts). */
  kind: WalletKind;
  balanceMinor: bigint;
  /** What its pending holds reserve; balanceMinor - heldMinor is what a debit may take. */
  heldMinor: bigint;
  lastEntrySequence: number;
  /** Read from the locked row: no status change can land before this batch commits. */
  status: WalletStatus;
  metadata: Metadata;
  createdAt: Date;
}

const DEBITS: ReadonlySet<EntryType> = new Set(DEBIT_ENTRY_TYPES);

/**
 * One ledger_entries row to write, in the shape the store sends it (amounts as decimal
 * text: they travel as JSON, and bigint has no JSON form).
 */
export interface PlannedEntry {
  id: string;
  wallet_id: string;
  sequence: number;
  previous_sequence: number | null;
  type: EntryType;
  amount_minor: string;
  balance_before_minor: string;
  balance_after_minor: string;
  description: string | null;
  counterparty_wallet_id: string | null;
  transfer_id: string | null;
  /** The hold whose capture this entry is. */
  hold_id: string | null;
  reverses_transaction_id: string | null;
  metadata: Metadata;
}

/** What a write says of its entries: its description and metadata, on each of them. */
export interface EntryNote {
  description: string | null;
  metadata: Metadata;
}

/** An entry as the book wrote it: a wallet's, or an external account's counter-entry. */
export type BookEntry = Omit<LedgerEntry, 'type'> & { type: EntryType };

/** A wallet's entry, as its movement returns it to the client. */
export function asWalletEntry(entry: BookEntry): LedgerEntry {
  const { type } = entry;
  assert(isWalletEntryType(type), `a ${type} entry returned as a wallet's`);
  return { ...entry, type };
}

/** What links an entry to the rest of its movement. */
export interface EntryLinks {
  id: string;
  counterpartyWalletId: string | null;
  transferId: string | null;
  /** The hold whose capture the entry is; absent: none. */
  holdId?: string;
  /** A reversal's entries name the transaction they reverse; absent: not a reversal. */
  reversesTransactionId?: string;
}

/**
 * The batch's books, in memory and without a database: the state of each locked wallet
 * after every movement applied so far, and the entries and events to append. A
 * movement's rules (movements/*.ts) read wallets here and record their effect with
 * `move`, and what it tells the world with `emit`; nothing else changes a balance, so
 * every balance change has its entry.
 */
export class Book {
  readonly entries: PlannedEntry[] = [];
  /** The locked holds, and the holds placed and resolved so far. */
  readonly holds: HoldBook;
  /** The outbox rows of the movements applied so far (events/catalogue.ts). */
  readonly events: PlannedEvent[] = [];
  private readonly state: Map<string, LockedWallet>;
  /** Wallets whose held changed (a hold placed or released), entries or not. */
  private readonly heldChanged = new Set<string>();

  constructor(
    locked: ReadonlyMap<string, LockedWallet>,
    /** The transaction's start time: every entry's created_at and wallet's updated_at. */
    readonly now: Date,
    lockedHolds: ReadonlyMap<string, LockedHold> = new Map(),
  ) {
    this.state = new Map([...locked].map(([id, wallet]) => [id, { ...wallet }]));
    this.holds = new HoldBook(lockedHolds, now);
  }

  /** Reserves `amountMinor` of the wallet (a hold placed); the movement checked available. */
  reserve(wallet: LockedWallet, amountMinor: bigint): void {
    assert(wallet.kind === 'USER', 'only a client wallet holds');
    assert(wallet.balanceMinor - wallet.heldMinor >= amountMinor, 'a hold past available');
    wallet.heldMinor += amountMinor;
    this.heldChanged.add(wallet.id);
  }

  /** Releases `amountMinor` of what the wallet's holds reserve (a hold resolved). */
  release(wallet: LockedWallet, amountMinor: bigint): void {
    assert(wallet.heldMinor >= amountMinor, `wallet ${wallet.id} releases more than it holds`);
    wallet.heldMinor -= amountMinor;
    this.heldChanged.add(wallet.id);
  }

  /**
   * A client's locked wallet as it is now; one that was not found is the caller's error.
   * An external account is no client's wallet: naming one is WALLET_NOT_FOUND, so a
   * client can neither move its money nor tell it exists.
   */
  wallet(id: string): LockedWallet {
    const wallet = this.state.get(id);
    if (!wallet || wallet.kind !== 'USER') throw new WalletNotFoundError(id);
    return wallet;
  }

  /** The external account of a currency; the store locked it for every FUND and WITHDRAW. */
  externalAccount(currency: CurrencyCode): LockedWallet {
    const account = this.state.get(externalAccountIdOf(currency));
    assert(account?.kind === 'EXTERNAL', `no external account of ${currency} was locked`);
    return account;
  }

  /** The wallets (and external accounts) this book changed, as they will be after the batch. */
  changedWallets(): LockedWallet[] {
    const changed = new Set([...this.entries.map((entry) => entry.wallet_id), ...this.heldChanged]);
    return [...changed].map((id) => {
      const wallet = this.state.get(id);
      assert(wallet, `changed wallet ${id} was not locked`);
      return wallet;
    });
  }

  /**
   * Appends one entry and moves the wallet's state past it. The checks a caller can
   * fail (funds, limits) are the movement's; these are assertions: the movement checked.
   */
  move(
    wallet: LockedWallet,
    type: EntryType,
    amountMinor: bigint,
    note: EntryNote,
    links: EntryLinks,
  ): BookEntry {
    const { description, metadata } = note;
    assert(amountMinor > 0n, 'a movement amount must be positive');
    const before = wallet.balanceMinor;
    const after = DEBITS.has(type) ? before - amountMinor : before + amountMinor;
    // A wallet never goes below zero; an external account never above (minus what entered).
    // (Nor below what its pending holds reserve: available stays at least zero.)
    if (wallet.kind === 'USER') {
      assert(after >= wallet.heldMinor, `movement would overdraw wallet ${wallet.id}`);
      // The movement checked the status (movements/wallet-status.ts); the database too.
      assert(wallet.status !== 'CLOSED', `movement of closed wallet ${wallet.id}`);
      assert(
        wallet.status === 'ACTIVE' || !DEBITS.has(type),
        `debit of ${wallet.status} wallet ${wallet.id}`,
      );
    } else assert(after <= 0n, `external account ${wallet.id} would hold money`);
    const sequence = wallet.lastEntrySequence + 1;
    this.entries.push({
      id: links.id,
      wallet_id: wallet.id,
      sequence,
      previous_sequence: sequence > 1 ? sequence - 1 : null,
      type,
      amount_minor: String(amountMinor),
      balance_before_minor: String(before),
      balance_after_minor: String(after),
      description,
      counterparty_wallet_id: links.counterpartyWalletId,
      transfer_id: links.transferId,
      hold_id: links.holdId ?? null,
      reverses_transaction_id: links.reversesTransactionId ?? null,
      metadata,
    });
    wallet.balanceMinor = after;
    wallet.lastEntrySequence = sequence;
    return {
      id: links.id,
      walletId: wallet.id,
      sequence,
      type,
      currency: wallet.currency,
      amountMinor,
      balanceBeforeMinor: before,
      balanceAfterMinor: after,
      status: 'COMPLETED',
      description,
      counterpartyWalletId: links.counterpartyWalletId,
      transferId: links.transferId,
      createdAt: this.now,
      reversesTransactionId: links.reversesTransactionId ?? null,
      // A new entry's transaction has no reversal yet.
      reversedMinor: 0n,
      metadata,
    };
  }

  /**
   * A movement between a client's wallet and its currency's external account (a funding,
   * a withdrawal): the wallet's entry `type`, then the account's `counterType` entry,
   * which names the wallet as its counterparty and the wallet's entry in transfer_id.
   * Returns the wallet's entry and the wallet as its owner sees it after it. A
   * reversal's entries (`reversesTransactionId`) both name the transaction they reverse.
   */
  moveAgainstExternal(
    wallet: LockedWallet,
    type: EntryType,
    counterType: EntryType,
    amountMinor: bigint,
    note: EntryNote,
    entryId: string,
    /** Its entries' links: a hold's capture names the hold, a reversal what it reverses. */
    links: { holdId?: string; reversesTransactionId?: string } = {},
  ): { entry: LedgerEntry; view: Wallet } {
    const external = this.externalAccount(wallet.currency);
    const entry = this.move(wallet, type, amountMinor, note, {
      id: entryId,
      counterpartyWalletId: null,
      transferId: null,
      ...links,
    });
    const view = this.view(wallet);
    this.move(external, counterType, amountMinor, note, {
      id: newId(),
      counterpartyWalletId: wallet.id,
      transferId: entryId,
      ...links,
    });
    return { entry: asWalletEntry(entry), view };
  }

  /**
   * Records the event of the movement just applied, written in the batch's transaction
   * (so it exists if and only if the movement commits). Call it last, once every check
   * of the movement has passed: a refused movement must leave no event behind.
   */
  emit(event: PlannedEvent): void {
    this.events.push(event);
  }

  /** The wallet as its owner sees it right after the current movement. */
  view(wallet: LockedWallet): Wallet {
    return {
      id: wallet.id,
      currency: wallet.currency,
      balanceMinor: wallet.balanceMinor,
      heldMinor: wallet.heldMinor,
      availableMinor: wallet.balanceMinor - wallet.heldMinor,
      status: wallet.status,
      metadata: wallet.metadata,
      createdAt: wallet.createdAt,
      updatedAt: this.now,
    };
  }
}
