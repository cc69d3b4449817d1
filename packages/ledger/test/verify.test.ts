import { schema } from '@wallet/db';
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import { externalAccountIdOf } from '../src';
import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();

async function fundedPair() {
  const a = await ledger.createWallet({});
  const b = await ledger.createWallet({});
  await ledger.fundWallet({ walletId: a.id, amount: 10 });
  await ledger.transferFunds({ senderWalletId: a.id, receiverWalletId: b.id, amount: 4 });
  await ledger.withdrawFunds({ walletId: b.id, amount: 0.5 });
  return [a.id, b.id] as const;
}

/** Appends one entry to a wallet's chain and moves its balance, as a bug might. */
async function appendRaw(
  walletId: string,
  entry: Pick<typeof schema.ledgerEntries.$inferInsert, 'type' | 'amountMinor'> &
    Partial<typeof schema.ledgerEntries.$inferInsert>,
) {
  const [wallet] = await db.select().from(schema.wallets).where(eq(schema.wallets.id, walletId));
  if (!wallet) throw new Error('no such wallet');
  const sequence = (wallet.lastEntrySequence ?? 0) + 1;
  const debit = ['TRANSFER_OUT', 'WITHDRAWAL', 'FUND_COUNTER'].includes(entry.type);
  const after = wallet.balanceMinor + (debit ? -entry.amountMinor : entry.amountMinor);
  await corrupt(async (tx) => {
    await tx.insert(schema.ledgerEntries).values({
      id: uuidv7(),
      walletId,
      sequence,
      previousSequence: sequence > 1 ? sequence - 1 : null,
      balanceBeforeMinor: wallet.balanceMinor,
      balanceAfterMinor: after,
      ...entry,
    });
    await tx
      .update(schema.wallets)
      .set({ balanceMinor: after, lastEntrySequence: sequence })
      .where(eq(schema.wallets.id, walletId));
  });
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
    // The clients' wallets and their entries; the external account's counter-entries apart.
    expect(report.walletCount).toBe(2);
    expect(report.entryCount).toBe(4);
    expect(report.externalEntryCount).toBe(2);
    expect(report.totals).toEqual([
      {
        currency: 'USD',
        walletCount: 2,
        balancesMinor: 950n,
        fundingsMinor: 1000n,
        withdrawalsMinor: 50n,
      },
    ]);
    const [external] = await db
      .select()
      .from(schema.wallets)
      .where(eq(schema.wallets.id, externalAccountIdOf('USD')));
    expect(external).toMatchObject({ kind: 'EXTERNAL', balanceMinor: -950n, lastEntrySequence: 2 });
  });

  it('finds a funding without its counter-entry: a transaction and a ledger not summing to zero', async () => {
    const [a] = await fundedPair();
    // Chain and balance intact, the totals agree: only double entry can tell.
    await appendRaw(a, { type: 'FUND', amountMinor: 300n });
    const violations = (await ledger.verify()).violations;
    expect(violations.map((v) => v.kind).sort()).toEqual([
      'LEDGER_NOT_ZERO_SUM',
      'UNBALANCED_TRANSACTION',
    ]);
    expect(violations).toContainEqual(
      expect.objectContaining({ kind: 'UNBALANCED_TRANSACTION', walletIds: [a] }),
    );
    const notZero = violations.find((v) => v.kind === 'LEDGER_NOT_ZERO_SUM');
    expect(notZero?.detail).toMatch(/^USD: .* 300 minor units/);
  });

  it("finds a transfer whose legs' metadata differ", async () => {
    const [a] = await fundedPair();
    const [leg] = await db
      .select()
      .from(schema.ledgerEntries)
      .where(
        and(eq(schema.ledgerEntries.walletId, a), eq(schema.ledgerEntries.type, 'TRANSFER_OUT')),
      );
    await corrupt((tx) =>
      tx.execute(
        sql`UPDATE ledger_entries SET metadata = '{"x": "y"}' WHERE id = ${leg?.id ?? ''}`,
      ),
    );
    // Earlier tests' corruption is still there: only this kind is this test's.
    const differing = (await ledger.verify()).violations.filter(
      (v) => v.kind === 'TRANSACTION_METADATA_DIFFERS',
    );
    expect(differing).toHaveLength(1);
    expect(differing[0]?.detail).toContain(leg?.transferId ?? 'none');
    expect(differing[0]?.walletIds).toContain(a);
  });

  it('finds a counter-entry that balances no movement of its wallet', async () => {
    const [a, b] = await fundedPair();
    const external = externalAccountIdOf('USD');
    // A FUND_COUNTER naming b's TRANSFER_IN as its funding, paired with a FUND on a.
    const fundId = uuidv7();
    await appendRaw(a, { id: fundId, type: 'FUND', amountMinor: 5n });
    await appendRaw(external, {
      type: 'FUND_COUNTER',
      amountMinor: 5n,
      counterpartyWalletId: b,
      transferId: fundId,
    });
    // (This file's tests share one database: earlier tests' damage is reported too.)
    const kinds = (await ledger.verify()).violations.map((v) => [v.kind, v.walletIds]);
    expect(kinds).toContainEqual(['MISPLACED_COUNTER_ENTRY', [external]]);
    expect(kinds).not.toContainEqual(['BROKEN_CHAIN', [external]]);
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
        sequence: 3,
        previousSequence: 2,
        type: 'TRANSFER_OUT',
        amountMinor: 100n,
        balanceBeforeMinor: 999n,
        balanceAfterMinor: 899n,
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
