import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();

async function fundedPair() {
  const a = await ledger.createWallet({});
  const b = await ledger.createWallet({});
  await ledger.fundWallet({ walletId: a.id, amount: 10 });
  await ledger.transferFunds({ senderWalletId: a.id, receiverWalletId: b.id, amount: 4 });
  return [a.id, b.id] as const;
}

/**
 * Writes what the constraints forbid, by switching off this connection's foreign-key
 * and trigger enforcement (session_replication_role) for one transaction: the only way
 * to make the bad data reconciliation exists to catch.
 */
async function corrupt(
  write: (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) => Promise<unknown>,
) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    await write(tx);
  });
}

describe('verify', () => {
  it('finds nothing wrong with a ledger the ledger wrote', async () => {
    await fundedPair();
    const report = await ledger.verify();
    expect(report.violations).toEqual([]);
    expect(report.truncated).toBe(false);
    expect(report.walletCount).toBe(2);
    expect(report.entryCount).toBe(3);
    expect(report.totals).toEqual([
      { currency: 'USD', walletCount: 2, balancesMinor: 1000n, fundingsMinor: 1000n },
    ]);
  });

  it('names the wallet whose balance its entries do not explain, and the money invented', async () => {
    const [a] = await fundedPair();
    await corrupt((tx) =>
      tx.update(schema.wallets).set({ balanceMinor: 700n }).where(eq(schema.wallets.id, a)),
    );
    const kinds = (await ledger.verify()).violations.map((v) => [v.kind, v.walletIds]);
    expect(kinds).toContainEqual(['BALANCE_NOT_SUM_OF_ENTRIES', [a]]);
    expect(kinds).toContainEqual(['MONEY_NOT_CONSERVED', []]);
  });

  it('finds a broken chain and a transfer missing a leg', async () => {
    const [, b] = await fundedPair();
    await corrupt((tx) =>
      tx.insert(schema.ledgerEntries).values({
        id: uuidv7(),
        walletId: b,
        sequence: 2,
        previousSequence: 1,
        type: 'TRANSFER_OUT',
        amountMinor: 100n,
        balanceBeforeMinor: 350n,
        balanceAfterMinor: 250n,
        counterpartyWalletId: uuidv7(),
        transferId: uuidv7(),
      }),
    );
    const kinds = (await ledger.verify()).violations.map((v) => v.kind);
    expect(kinds).toContain('BROKEN_CHAIN');
    expect(kinds).toContain('UNPAIRED_TRANSFER');
    expect(kinds).toContain('BALANCE_NOT_LATEST_ENTRY');
  });
});
