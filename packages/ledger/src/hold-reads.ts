import {
  getHoldInput,
  getWalletInput,
  holdIdSchema,
  listHoldsInput,
  type GetHoldInput,
  type GetWalletInput,
  type ListHoldsInput,
} from '@wallet/contract';
import { schema, type Db } from '@wallet/db';
import { and, desc, eq, lt } from 'drizzle-orm';

import { HoldNotFoundError, InvalidInputError, WalletNotFoundError } from './errors';
import { parseInput } from './input';
import { currencyOf, toHold } from './rows';
import { inTransaction } from './transaction';
import type { Hold, Page, WalletBalance } from './types';

const { holds, wallets } = schema;

/** One hold by id, with its wallet's currency. */
export async function getHold(db: Db, input: GetHoldInput): Promise<Hold> {
  const holdId = parseInput(getHoldInput, input).holdId.toLowerCase();
  const [row] = await db
    .select({ hold: holds, currency: wallets.currency })
    .from(holds)
    .innerJoin(wallets, eq(wallets.id, holds.walletId))
    .where(eq(holds.id, holdId));
  if (!row) throw new HoldNotFoundError(holdId);
  return toHold(row.hold, currencyOf(row));
}

/**
 * The holds a wallet pays, newest first, by keyset on the hold id (UUIDv7, the cursor),
 * optionally of one status; the wallet and the page read in one snapshot.
 */
export async function listHolds(db: Db, input: ListHoldsInput): Promise<Page<Hold>> {
  const request = parseInput(listHoldsInput, input);
  if (request.cursor !== undefined && !holdIdSchema.safeParse(request.cursor).success) {
    throw new InvalidInputError('cursor is not valid');
  }
  const walletId = request.walletId.toLowerCase();
  return inTransaction(
    db,
    async (tx) => {
      const [wallet] = await tx.select().from(wallets).where(eq(wallets.id, walletId));
      if (!wallet || wallet.kind !== 'USER') throw new WalletNotFoundError(walletId);
      const rows = await tx
        .select()
        .from(holds)
        .where(
          and(
            eq(holds.walletId, walletId),
            request.status === undefined ? undefined : eq(holds.status, request.status),
            request.cursor === undefined ? undefined : lt(holds.id, request.cursor.toLowerCase()),
          ),
        )
        .orderBy(desc(holds.id))
        .limit(request.limit + 1);
      const currency = currencyOf(wallet);
      const items = rows.slice(0, request.limit).map((row) => toHold(row, currency));
      const last = items.at(-1);
      return { items, nextCursor: rows.length > request.limit && last ? last.id : null };
    },
    'snapshot read',
  );
}

/** A wallet's posted balance, what its pending holds reserve, and what it can spend. */
export async function getWalletBalance(db: Db, input: GetWalletInput): Promise<WalletBalance> {
  const walletId = parseInput(getWalletInput, input).walletId.toLowerCase();
  const [wallet] = await db.select().from(wallets).where(eq(wallets.id, walletId));
  if (!wallet || wallet.kind !== 'USER') throw new WalletNotFoundError(walletId);
  return {
    walletId: wallet.id,
    currency: currencyOf(wallet),
    balanceMinor: wallet.balanceMinor,
    heldMinor: wallet.heldMinor,
    availableMinor: wallet.balanceMinor - wallet.heldMinor,
  };
}
