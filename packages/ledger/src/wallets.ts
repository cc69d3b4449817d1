import { createWalletInput, listWalletsInput, walletIdSchema } from '@wallet/contract';
import type { CreateWalletInput, ListWalletsInput } from '@wallet/contract';
import type { Db, WriteContext } from '@wallet/db';
import { recordAudit, schema } from '@wallet/db';
import { desc, lt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';

import { assert } from './assert';
import { auditOfWrite } from './audit';
import { InvalidInputError } from './errors';
import { parseInput } from './input';
import { toWallet } from './rows';
import { inTransaction } from './transaction';
import type { Page, Wallet } from './types';

const { wallets } = schema;

export async function createWallet(
  db: Db,
  input: CreateWalletInput,
  context?: WriteContext,
): Promise<Wallet> {
  const request = parseInput(createWalletInput, input);
  // UUIDv7: time-ordered, so listing by id is listing by creation, newest first.
  const id = uuidv7();
  const insert = (executor: Pick<Db, 'insert'>) =>
    executor.insert(wallets).values({ id, currency: request.currency }).returning();
  // With a context, the wallet and its audit row commit together.
  const [row] = context
    ? await inTransaction(db, async (tx) => {
        const rows = await insert(tx);
        const details = { currency: request.currency };
        await recordAudit(tx, [auditOfWrite(context, 'wallets.create', id, details)]);
        return rows;
      })
    : await insert(db);
  assert(row, 'insert returned no wallet');
  return toWallet(row);
}

/** Every wallet, newest first, by keyset on the time-ordered id (the cursor). */
export async function listWallets(db: Db, input: ListWalletsInput): Promise<Page<Wallet>> {
  const request = parseInput(listWalletsInput, input);
  if (request.cursor !== undefined && !walletIdSchema.safeParse(request.cursor).success) {
    throw new InvalidInputError('cursor is not valid');
  }
  const rows = await db
    .select()
    .from(wallets)
    .where(request.cursor === undefined ? undefined : lt(wallets.id, request.cursor))
    .orderBy(desc(wallets.id))
    .limit(request.limit + 1)
    .prepare('ledger_list_wallets')
    .execute();
  const items = rows.slice(0, request.limit).map(toWallet);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > request.limit && last ? last.id : null };
}
