import { formatMinor, minorDigitsOf, updateWalletInput } from '@wallet/contract';
import type { UpdateWalletInput, WalletStatus } from '@wallet/contract';
import type { Db, WriteContext } from '@wallet/db';
import { recordAudit, schema } from '@wallet/db';
import { and, eq, sql } from 'drizzle-orm';

import { assert } from './assert';
import { auditOfWrite } from './audit';
import {
  WalletHasPendingHoldsError,
  WalletNotEmptyError,
  WalletNotFoundError,
  WalletStatusTransitionInvalidError,
} from './errors';
import { walletStatusChanged } from './events/catalogue';
import { appendEvent } from './events/write';
import { newId } from './ids';
import { parseInput } from './input';
import { toWallet } from './rows';
import { inTransaction } from './transaction';
import type { Wallet } from './types';

const { wallets } = schema;
type WalletRow = typeof wallets.$inferSelect;

/**
 * An operator's change of a wallet: its status, its metadata (replaced whole), or both, in
 * one transaction on the wallet's row locked FOR UPDATE. The lock is the one every batch
 * takes before it moves the wallet's money, so a close and a funding queue: the close sees
 * the funded balance (WALLET_NOT_EMPTY), or the funding sees the closed wallet
 * (WALLET_CLOSED); never a closed wallet with money. A status change records its
 * wallet.status_changed event; any change its audit row; both commit with it. A request
 * that changes nothing (the same status, the same metadata) writes nothing.
 */
export async function updateWallet(
  db: Db,
  input: UpdateWalletInput,
  context?: WriteContext,
): Promise<Wallet> {
  const request = parseInput(updateWalletInput, input);
  const row = await inTransaction(db, async (tx) => {
    const [locked] = await tx
      .select()
      .from(wallets)
      .where(and(eq(wallets.id, request.walletId), eq(wallets.kind, 'USER')))
      .for('update');
    if (!locked) throw new WalletNotFoundError(request.walletId);
    const status = request.status ?? locked.status;
    if (status !== locked.status) assertMayBecome(locked, status);
    const metadata = request.metadata ?? locked.metadata;
    const metadataChanged = !sameMetadata(metadata, locked.metadata);
    if (status === locked.status && !metadataChanged) return locked;
    const [updated] = await tx
      .update(wallets)
      .set({
        status,
        metadata,
        // Never behind the wallet's latest change: the next batch stamps its entries after
        // it (batch/postgres-store.ts), and a wallet's stamps only move forward.
        updatedAt: sql`greatest(now(), ${wallets.updatedAt} + interval '1 microsecond')`,
      })
      .where(eq(wallets.id, locked.id))
      .returning();
    assert(updated, 'the locked wallet was updated');
    if (status !== locked.status) {
      const event = walletStatusChanged(
        toWallet(updated),
        updated.lastEntrySequence ?? 0,
        newId(),
        locked.status,
      );
      await appendEvent(tx, event);
    }
    if (context) {
      const details = {
        ...(status === locked.status ? {} : { from: locked.status, to: status }),
        ...(metadataChanged ? { metadata } : {}),
      };
      await recordAudit(tx, [auditOfWrite(context, 'wallets.update', locked.id, details)]);
    }
    return updated;
  });
  return toWallet(row);
}

/**
 * ACTIVE and FROZEN change into each other; either may close, if the wallet is empty and
 * has no pending hold; a closed wallet stays closed. A pending hold reserves part of the
 * balance (held ≤ balance), so it is named first: it is what must be resolved first.
 */
function assertMayBecome(wallet: WalletRow, to: WalletStatus): void {
  if (wallet.status === 'CLOSED') {
    throw new WalletStatusTransitionInvalidError(wallet.id, wallet.status, to);
  }
  if (to !== 'CLOSED') return;
  const currency = toWallet(wallet).currency;
  const digits = minorDigitsOf(currency);
  if (wallet.heldMinor > 0n) {
    throw new WalletHasPendingHoldsError(
      wallet.id,
      formatMinor(wallet.heldMinor, digits),
      currency,
    );
  }
  if (wallet.balanceMinor !== 0n) {
    throw new WalletNotEmptyError(wallet.id, formatMinor(wallet.balanceMinor, digits), currency);
  }
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
