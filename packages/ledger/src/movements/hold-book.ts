import type { HoldStatus, Metadata } from '@wallet/contract';

import { assert } from '../assert';
import { HoldNotFoundError } from '../errors';
import type { Hold } from '../types';

/** A hold as its locked row was read at the start of the batch (FOR UPDATE). */
export type LockedHold = Hold;

/** One holds row to insert, in the shape the store sends it (amounts as decimal text). */
export interface PlannedHold {
  id: string;
  wallet_id: string;
  receiver_wallet_id: string | null;
  amount_minor: string;
  description: string | null;
  metadata: Metadata;
  expires_at: string | null;
}

/** One hold to resolve, in the shape the store sends it; resolved_at is the database's now(). */
export interface HoldResolution {
  id: string;
  status: Exclude<HoldStatus, 'PENDING'>;
  captured_minor: string;
  capture_transaction_id: string | null;
}

/**
 * The batch's holds, in memory: the locked ones as each movement left them, and the rows
 * to insert and to resolve. Like the Book's wallets, the rules read holds here and record
 * their effect through `place` and `resolve`; the rules check, these assert.
 */
export class HoldBook {
  readonly placed: PlannedHold[] = [];
  readonly resolved: HoldResolution[] = [];
  private readonly state: Map<string, Hold>;

  constructor(
    locked: ReadonlyMap<string, LockedHold>,
    private readonly now: Date,
  ) {
    this.state = new Map([...locked].map(([id, hold]) => [id, { ...hold }]));
  }

  /** A hold the store locked; one that was not found is the caller's error. */
  get(id: string): Hold {
    const hold = this.state.get(id);
    if (!hold) throw new HoldNotFoundError(id);
    return hold;
  }

  place(hold: Omit<Hold, 'capturedMinor' | 'status' | 'createdAt' | 'resolvedAt'>): Hold {
    assert(!this.state.has(hold.id), `hold ${hold.id} placed twice`);
    const placed: Hold = {
      ...hold,
      capturedMinor: 0n,
      status: 'PENDING',
      createdAt: this.now,
      resolvedAt: null,
      captureTransactionId: null,
    };
    this.state.set(hold.id, placed);
    this.placed.push({
      id: hold.id,
      wallet_id: hold.walletId,
      receiver_wallet_id: hold.receiverWalletId,
      amount_minor: String(hold.amountMinor),
      description: hold.description,
      metadata: hold.metadata,
      expires_at: hold.expiresAt?.toISOString() ?? null,
    });
    return { ...placed };
  }

  /** Resolves a pending hold, once: what the movement decided, stamped with the batch's time. */
  resolve(
    hold: Hold,
    outcome: {
      status: HoldResolution['status'];
      capturedMinor: bigint;
      transactionId: string | null;
    },
  ): Hold {
    assert(hold.status === 'PENDING', `hold ${hold.id} resolved twice`);
    hold.status = outcome.status;
    hold.capturedMinor = outcome.capturedMinor;
    hold.captureTransactionId = outcome.transactionId;
    hold.resolvedAt = this.now;
    this.resolved.push({
      id: hold.id,
      status: outcome.status,
      captured_minor: String(outcome.capturedMinor),
      capture_transaction_id: outcome.transactionId,
    });
    return { ...hold };
  }
}
