import type { CurrencyCode, EntryType } from '@wallet/contract';

import { assert } from '../assert';
import { WalletNotFoundError } from '../errors';
import type { LedgerEntry, Wallet } from '../types';

/** A wallet as its locked row was read at the start of the batch: the rules' input. */
export interface LockedWallet {
  id: string;
  currency: CurrencyCode;
  balanceMinor: bigint;
  lastEntrySequence: number;
  createdAt: Date;
}

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
}

/** What links an entry to the rest of its movement. */
export interface EntryLinks {
  id: string;
  counterpartyWalletId: string | null;
  transferId: string | null;
}

/**
 * The batch's books, in memory and without a database: the state of each locked wallet
 * after every movement applied so far, and the entries to append. A movement's rules
 * (movements/*.ts) read wallets here and record their effect with `move`; nothing else
 * changes a balance, so every balance change has its entry.
 */
export class Book {
  readonly entries: PlannedEntry[] = [];
  private readonly state: Map<string, LockedWallet>;

  constructor(
    locked: ReadonlyMap<string, LockedWallet>,
    /** The transaction's start time: every entry's created_at and wallet's updated_at. */
    readonly now: Date,
  ) {
    this.state = new Map([...locked].map(([id, wallet]) => [id, { ...wallet }]));
  }

  /** A locked wallet as it is now; a wallet that was not found is the caller's error. */
  wallet(id: string): LockedWallet {
    const wallet = this.state.get(id);
    if (!wallet) throw new WalletNotFoundError(id);
    return wallet;
  }

  /** The wallets this book changed, as they will be after the batch. */
  changedWallets(): LockedWallet[] {
    const changed = new Set(this.entries.map((entry) => entry.wallet_id));
    return [...changed].map((id) => this.wallet(id));
  }

  /**
   * Appends one entry and moves the wallet's state past it. The checks a caller can
   * fail (funds, limits) are the movement's; these are assertions: the movement checked.
   */
  move(
    wallet: LockedWallet,
    type: EntryType,
    amountMinor: bigint,
    description: string | null,
    links: EntryLinks,
  ): LedgerEntry {
    assert(amountMinor > 0n, 'a movement amount must be positive');
    const before = wallet.balanceMinor;
    const after = type === 'TRANSFER_OUT' ? before - amountMinor : before + amountMinor;
    assert(after >= 0n, `movement would overdraw wallet ${wallet.id}`);
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
    };
  }

  /** The wallet as its owner sees it right after the current movement. */
  view(wallet: LockedWallet): Wallet {
    return {
      id: wallet.id,
      currency: wallet.currency,
      balanceMinor: wallet.balanceMinor,
      createdAt: wallet.createdAt,
      updatedAt: this.now,
    };
  }
}
