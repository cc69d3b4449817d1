import { schema } from '@wallet/db';
import { asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';

import type { TestLedger } from './support';

/**
 * Checks a wallet's history from the tables: entries numbered 1..n, each balance
 * before equal to the previous balance after, and the last balance after equal to the
 * wallet's balance. Returns the balance.
 */
export async function expectContiguousChain({ db }: TestLedger, walletId: string) {
  const entries = await db
    .select()
    .from(schema.ledgerEntries)
    .where(eq(schema.ledgerEntries.walletId, walletId))
    .orderBy(asc(schema.ledgerEntries.sequence));
  const [wallet] = await db.select().from(schema.wallets).where(eq(schema.wallets.id, walletId));
  let balance = 0n;
  for (const [index, entry] of entries.entries()) {
    expect(entry.sequence).toBe(index + 1);
    expect(entry.balanceBeforeMinor).toBe(balance);
    balance = entry.balanceAfterMinor;
  }
  expect(wallet?.balanceMinor).toBe(balance);
  return balance;
}
