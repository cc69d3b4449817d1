import { schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';

import { externalAccountIdOf } from '../src';
import { expectRefusedBy, useTestLedger } from './support';

/**
 * The database refuses bad holds by itself, whatever the code does: each test writes a
 * wrong row with raw SQL and expects the named constraint or trigger to stop it.
 */
const { ledger, db } = await useTestLedger();
const { wallets, holds, ledgerEntries } = schema;

let walletId = '';
let receiverId = '';
let capturedHoldId = '';
let pendingHoldId = '';
beforeAll(async () => {
  walletId = (await ledger.createWallet({})).id;
  receiverId = (await ledger.createWallet({})).id;
  await ledger.fundWallet({ walletId, amount: 10 });
  const { hold } = await ledger.placeHold({ walletId, amount: 2, receiverWalletId: receiverId });
  await ledger.captureHold({ holdId: hold.id });
  capturedHoldId = hold.id;
  pendingHoldId = (await ledger.placeHold({ walletId, amount: 1 })).hold.id;
});

function insertHold(overrides: Partial<typeof holds.$inferInsert>) {
  return db.insert(holds).values({ id: uuidv7(), walletId, amountMinor: 100n, ...overrides });
}

describe('wallets: held and available', () => {
  it('held is never negative', async () => {
    await expectRefusedBy(
      db.update(wallets).set({ heldMinor: -1n }).where(eq(wallets.id, walletId)),
      'wallets_held_non_negative',
      'exact',
    );
  });

  it('available (balance - held) is never negative', async () => {
    await expectRefusedBy(
      db.update(wallets).set({ heldMinor: 801n }).where(eq(wallets.id, walletId)),
      'wallets_held_within_balance',
      'exact',
    );
  });

  it('an external account holds nothing', async () => {
    await expectRefusedBy(
      db
        .update(wallets)
        .set({ heldMinor: 1n })
        .where(eq(wallets.id, externalAccountIdOf('USD'))),
      'wallets_external_holds_nothing',
      'exact',
    );
  });
});

describe('holds: resolved once', () => {
  it('a captured hold cannot change again: not back to PENDING, not to VOIDED', async () => {
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET status = 'VOIDED', captured_minor = 0,
        capture_transaction_id = NULL WHERE id = ${capturedHoldId}`),
      'holds_resolved_once',
      'exact',
    );
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET status = 'PENDING', captured_minor = 0, resolved_at = NULL,
        capture_transaction_id = NULL WHERE id = ${capturedHoldId}`),
      'holds_resolved_once',
      'exact',
    );
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET captured_minor = 1 WHERE id = ${capturedHoldId}`),
      'holds_resolved_once',
      'exact',
    );
  });

  it("a hold's terms never change, and holds are never deleted", async () => {
    await expectRefusedBy(
      db.update(holds).set({ amountMinor: 50n }).where(eq(holds.id, pendingHoldId)),
      'holds_terms_fixed',
      'exact',
    );
    await expectRefusedBy(
      db.update(holds).set({ receiverWalletId: receiverId }).where(eq(holds.id, pendingHoldId)),
      'holds_terms_fixed',
      'exact',
    );
    await expectRefusedBy(
      db.delete(holds).where(eq(holds.id, pendingHoldId)),
      'holds_kept',
      'exact',
    );
    await expectRefusedBy(db.execute(sql`TRUNCATE holds CASCADE`), 'holds_kept', 'exact');
  });

  it('each status has its fields', async () => {
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET status = 'CAPTURED', captured_minor = 100
        WHERE id = ${pendingHoldId}`),
      'holds_status_shape',
      'exact',
    );
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET status = 'CAPTURED', captured_minor = 101,
        capture_transaction_id = ${uuidv7()} WHERE id = ${pendingHoldId}`),
      'holds_status_shape',
      'exact',
    );
    await expectRefusedBy(insertHold({ capturedMinor: 1n }), 'holds_status_shape', 'exact');
  });

  it('amounts, receivers and expiries in range', async () => {
    await expectRefusedBy(insertHold({ amountMinor: 0n }), 'holds_amount_in_range', 'exact');
    await expectRefusedBy(
      insertHold({ receiverWalletId: walletId }),
      'holds_receiver_other_wallet',
      'exact',
    );
    await expectRefusedBy(
      insertHold({ expiresAt: new Date(Date.now() - 60_000) }),
      'holds_expiry_in_range',
      'exact',
    );
    await expectRefusedBy(
      insertHold({ expiresAt: new Date(Date.now() + 31 * 24 * 3_600_000) }),
      'holds_expiry_in_range',
      'exact',
    );
  });

  it('a capture by the clock after the expiry, or an expiry before it, is refused', async () => {
    // A hold placed two hours ago that expired an hour ago (the sweep has not run).
    const id = uuidv7();
    await db.execute(sql`INSERT INTO holds (id, wallet_id, amount_minor, created_at, expires_at)
      VALUES (${id}, ${walletId}, 1, now() - interval '2 hours', now() - interval '1 hour')`);
    // resolved_at is the database's now(), whatever the statement says.
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET status = 'CAPTURED', captured_minor = 1,
        capture_transaction_id = ${uuidv7()}, resolved_at = now() - interval '90 minutes'
        WHERE id = ${id}`),
      'holds_captured_before_expiry',
      'exact',
    );
    const notDue = uuidv7();
    await insertHold({ id: notDue, expiresAt: new Date(Date.now() + 3_600_000) });
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET status = 'EXPIRED' WHERE id = ${notDue}`),
      'holds_expired_after_expiry',
      'exact',
    );
  });

  it('a second capture cannot write a second set of entries; only capture entries name a hold', async () => {
    const [wallet] = await db.select().from(wallets).where(eq(wallets.id, walletId));
    const balance = wallet?.balanceMinor ?? 0n;
    const entry = {
      id: uuidv7(),
      walletId,
      sequence: 999,
      previousSequence: 998,
      amountMinor: 1n,
      balanceBeforeMinor: balance,
      counterpartyWalletId: receiverId,
      transferId: uuidv7(),
    };
    await expectRefusedBy(
      db.insert(ledgerEntries).values({
        ...entry,
        type: 'TRANSFER_OUT',
        balanceAfterMinor: balance - 1n,
        holdId: capturedHoldId,
      }),
      'ledger_entries_hold_capture_unique',
      'exact',
    );
    await expectRefusedBy(
      db.insert(ledgerEntries).values({
        ...entry,
        type: 'FUND',
        balanceAfterMinor: balance + 1n,
        counterpartyWalletId: null,
        transferId: null,
        holdId: pendingHoldId,
      }),
      'ledger_entries_hold_entry_types',
      'exact',
    );
  });
});

describe('ledger:verify', () => {
  it('reports a held that is not the sum of the pending holds', async () => {
    // The trigger-free way to break it: a hold row the code never placed (held unchanged).
    await insertHold({ amountMinor: 5n });
    const report = await ledger.verify();
    expect(report.violations).toContainEqual(
      expect.objectContaining({ kind: 'HELD_NOT_SUM_OF_PENDING_HOLDS', walletIds: [walletId] }),
    );
  });
});
