import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { createLedger } from '../src';
import { useTestLedger } from './support';

/**
 * A wallet's entries are in time order along its chain. A batch is stamped with its
 * transaction's start unless a wallet it locked changed later (a batch that began before
 * another committed on the same wallet): then just after that change.
 */
const { ledger, db } = await useTestLedger();
const { ledgerEntries } = schema;

/** Entries stamped before their predecessor, anywhere in the ledger. */
async function entriesOutOfTimeOrder(): Promise<number> {
  const rows = await db.execute<{ count: number }>(sql`
    SELECT count(*)::int AS count
      FROM ledger_entries AS entry
      JOIN ledger_entries AS previous
        ON previous.wallet_id = entry.wallet_id AND previous.sequence = entry.previous_sequence
     WHERE entry.created_at < previous.created_at`);
  return rows[0]?.count ?? -1;
}

describe('entry timestamps', () => {
  it('follow the chain when a wallet changed after the batch began', async () => {
    const walletId = (await ledger.createWallet({})).id;
    const receiverId = (await ledger.createWallet({})).id;
    await ledger.fundWallet({ walletId, amount: 10 });
    // As if a batch that began later had committed on the wallet: its change is ahead of now().
    const [changed] = await db.execute<{ at: string }>(sql`
      UPDATE wallets SET updated_at = now() + interval '1 hour' WHERE id = ${walletId}
      RETURNING updated_at::text AS at`);
    const transfer = await ledger.transferFunds({
      senderWalletId: walletId,
      receiverWalletId: receiverId,
      amount: 1,
    });
    // Both legs, and both wallets' updated_at, a microsecond past the sender's last change.
    const rows = await db.execute<{ exact: boolean }>(sql`
      SELECT entry.created_at = ${changed?.at ?? ''}::timestamptz + interval '1 microsecond'
               AND wallet.updated_at = entry.created_at AS exact
        FROM ledger_entries AS entry JOIN wallets AS wallet ON wallet.id = entry.wallet_id
       WHERE entry.transfer_id = ${transfer.transferId}`);
    expect(rows.map((row) => row.exact)).toEqual([true, true]);
    const [leg] = await db
      .select({ createdAt: ledgerEntries.createdAt })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.transferId, transfer.transferId))
      .limit(1);
    expect(transfer.sender.updatedAt.getTime()).toBe(leg?.createdAt.getTime());
  });

  it('hold under concurrent batches of two API processes, none refused by the chain-time check', async () => {
    const second = createLedger(db);
    const ids = await Promise.all(
      Array.from({ length: 4 }, async () => (await ledger.createWallet({})).id),
    );
    await Promise.all(ids.map((walletId) => ledger.fundWallet({ walletId, amount: 1_000 })));
    const moves = Array.from({ length: 200 }, (_, index) => {
      const through = index % 2 === 0 ? ledger : second;
      const senderWalletId = ids[index % ids.length] ?? '';
      const receiverWalletId = ids[(index + 1) % ids.length] ?? '';
      return index % 5 === 0
        ? through.fundWallet({ walletId: senderWalletId, amount: 1 })
        : through.transferFunds({ senderWalletId, receiverWalletId, amount: 1 });
    });
    // A batch stamped before its predecessor would fail in the database (and here).
    await Promise.all(moves);
    expect(await entriesOutOfTimeOrder()).toBe(0);
  });
});
