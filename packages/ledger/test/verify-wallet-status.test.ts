import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';

import { useTestLedger } from './support';

/**
 * ledger:verify finds a closed wallet that holds money, a state the database refuses to
 * write (wallets_closed_empty): this file's own database drops that CHECK first, as only
 * an operator, or a bug in a migration, could.
 */
const { ledger, db } = await useTestLedger();
const { wallets } = schema;

it('reports CLOSED_WALLET_NOT_EMPTY for a closed wallet with a balance', async () => {
  const wallet = await ledger.createWallet({});
  await ledger.fundWallet({ walletId: wallet.id, amount: 2 });
  expect((await ledger.verify()).violations).toEqual([]);

  await db.execute(sql`ALTER TABLE wallets DROP CONSTRAINT wallets_closed_empty`);
  await db.update(wallets).set({ status: 'CLOSED' }).where(eq(wallets.id, wallet.id));
  const { violations } = await ledger.verify();
  expect(violations).toEqual([
    {
      kind: 'CLOSED_WALLET_NOT_EMPTY',
      walletIds: [wallet.id],
      detail: 'closed wallet: balance 200, held 0, 0 pending holds',
    },
  ]);
});
