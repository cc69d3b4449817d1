import { MAX_BALANCE_MINOR } from '@wallet/contract';
import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';

import { expectRefusedBy, useTestLedger } from './support';

/**
 * The database refuses bad states by itself, whatever the code does: each test writes
 * a wrong row directly and expects the named constraint to stop it.
 */
const { ledger, db } = await useTestLedger();
const { wallets, ledgerEntries, idempotencyKeys } = schema;

let walletId = '';
let otherId = '';
beforeAll(async () => {
  walletId = (await ledger.createWallet({})).id;
  otherId = (await ledger.createWallet({})).id;
  await ledger.fundWallet({ walletId, amount: 10 });
});

function entry(overrides: Partial<typeof ledgerEntries.$inferInsert>) {
  return {
    id: uuidv7(),
    walletId,
    sequence: 2,
    previousSequence: 1,
    type: 'FUND' as const,
    amountMinor: 100n,
    balanceBeforeMinor: 1000n,
    balanceAfterMinor: 1100n,
    ...overrides,
  };
}

describe('database constraints', () => {
  it('no negative balance', async () => {
    await expectRefusedBy(
      db.update(wallets).set({ balanceMinor: -1n }).where(eq(wallets.id, walletId)),
      'wallets_balance_non_negative',
    );
  });

  it('no balance above MAX_BALANCE_MINOR, the limit the contract documents', async () => {
    await expectRefusedBy(
      db
        .update(wallets)
        .set({ balanceMinor: MAX_BALANCE_MINOR + 1n })
        .where(eq(wallets.id, walletId)),
      'wallets_balance_within_limit',
    );
  });

  it('a balance must match its latest entry', async () => {
    await expectRefusedBy(
      db.update(wallets).set({ balanceMinor: 999n }).where(eq(wallets.id, walletId)),
      'wallets_balance_matches_latest_entry_fk',
    );
  });

  it('an entry must add up', async () => {
    await expectRefusedBy(
      db.insert(ledgerEntries).values(entry({ balanceAfterMinor: 1200n })),
      'ledger_entries_arithmetic',
    );
  });

  it('an entry must continue its wallet chain', async () => {
    await expectRefusedBy(
      db
        .insert(ledgerEntries)
        .values(entry({ balanceBeforeMinor: 900n, balanceAfterMinor: 1000n })),
      'ledger_entries_chain_fk',
    );
    await expectRefusedBy(
      db.insert(ledgerEntries).values(entry({ sequence: 3, previousSequence: 1 })),
      'ledger_entries_chain_start',
    );
  });

  it("an entry is never stamped before its predecessor in its wallet's chain", async () => {
    const [first] = await db
      .select({ createdAt: ledgerEntries.createdAt })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.walletId, walletId));
    const before = new Date((first?.createdAt.getTime() ?? 0) - 1_000);
    await expectRefusedBy(
      db.insert(ledgerEntries).values(entry({ createdAt: before })),
      'ledger_entries_created_in_chain_order',
    );
  });

  it('amounts are positive', async () => {
    await expectRefusedBy(
      db.insert(ledgerEntries).values(entry({ amountMinor: 0n, balanceAfterMinor: 1000n })),
      'ledger_entries_amount_positive',
    );
  });

  it('a transfer leg names another wallet and a transfer', async () => {
    await expectRefusedBy(
      db
        .insert(ledgerEntries)
        .values(entry({ type: 'TRANSFER_IN', counterpartyWalletId: otherId })),
      'ledger_entries_counterparty_shape',
    );
  });

  it('entries are append-only', async () => {
    const [first] = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.walletId, walletId));
    expect(first).toBeDefined();
    const id = first?.id ?? '';
    await expectRefusedBy(
      db.update(ledgerEntries).set({ description: 'rewritten' }).where(eq(ledgerEntries.id, id)),
      'append-only: UPDATE refused',
    );
    await expectRefusedBy(
      db.delete(ledgerEntries).where(eq(ledgerEntries.id, id)),
      'append-only: DELETE refused',
    );
    await expectRefusedBy(
      db.execute(sql`TRUNCATE ledger_entries CASCADE`),
      'append-only: TRUNCATE refused',
    );
    const [still] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, id));
    expect(still?.description).toBeNull();
  });

  it("an idempotency key is used once by its owner; another owner's equal key is its own", async () => {
    const row = {
      owner: `key:${uuidv7()}`,
      key: 'only-once',
      operation: 'FUND' as const,
      requestFingerprint: 'a'.repeat(64),
      transactionId: uuidv7(),
    };
    await db.insert(idempotencyKeys).values(row);
    await expectRefusedBy(db.insert(idempotencyKeys).values(row), 'idempotency_keys_pkey');
    await db.insert(idempotencyKeys).values({ ...row, owner: `key:${uuidv7()}` });
    await expectRefusedBy(
      db.insert(idempotencyKeys).values({ ...row, owner: 'anyone' }),
      'idempotency_keys_owner_actor',
    );
  });
});
