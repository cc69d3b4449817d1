import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { HoldExpiredError, HoldNotPendingError } from '../src';
import { useTestLedger } from './support';

const { ledger, db } = await useTestLedger();

async function fundedWallet(amount: number) {
  const wallet = await ledger.createWallet({});
  await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

/** Resolves once the database's clock has reached `at` (what the sweep and a capture read). */
async function untilDatabaseClockPasses(at: Date) {
  for (;;) {
    const [row] = await db.execute<{ due: boolean }>(
      sql`SELECT now() >= ${at.toISOString()}::timestamptz AS due`,
    );
    if (row?.due) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('expireHolds (the sweep)', () => {
  it('a hold that expires cannot be captured, and the sweep releases it exactly once', async () => {
    const walletId = await fundedWallet(10);
    const expiresAt = new Date(Date.now() + 1_500);
    const { hold } = await ledger.placeHold({
      walletId,
      amount: 4,
      expiresAt: expiresAt.toISOString(),
    });
    const { hold: lasting } = await ledger.placeHold({ walletId, amount: 1 });
    const { hold: later } = await ledger.placeHold({
      walletId,
      amount: 2,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(hold.expiresAt?.getTime()).toBe(expiresAt.getTime());
    await untilDatabaseClockPasses(expiresAt);

    // Past its expiry but not yet released: still counted in held, never capturable.
    expect((await ledger.getHold({ holdId: hold.id })).status).toBe('PENDING');
    await expect(ledger.captureHold({ holdId: hold.id })).rejects.toBeInstanceOf(HoldExpiredError);
    expect((await ledger.getWalletBalance({ walletId })).heldMinor).toBe(700n);

    // Two sweeps at once (two API processes): one release between them.
    const released = await Promise.all([ledger.expireHolds(), ledger.expireHolds()]);
    expect(released[0] + released[1]).toBe(1);
    expect(await ledger.expireHolds()).toBe(0);

    const expired = await ledger.getHold({ holdId: hold.id });
    expect(expired).toMatchObject({ status: 'EXPIRED', capturedMinor: 0n });
    expect(expired.resolvedAt?.getTime()).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(await ledger.getWalletBalance({ walletId })).toMatchObject({
      balanceMinor: 1000n,
      heldMinor: 300n,
      availableMinor: 700n,
    });
    await expect(ledger.captureHold({ holdId: hold.id })).rejects.toMatchObject({
      code: 'HOLD_EXPIRED',
    });
    await expect(ledger.voidHold({ holdId: hold.id })).rejects.toBeInstanceOf(HoldNotPendingError);
    for (const id of [lasting.id, later.id]) {
      expect((await ledger.getHold({ holdId: id })).status).toBe('PENDING');
    }
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('a void at or past the expiry releases the hold as EXPIRED; the sweep then finds nothing', async () => {
    const walletId = await fundedWallet(10);
    const expiresAt = new Date(Date.now() + 1_000);
    const { hold } = await ledger.placeHold({
      walletId,
      amount: 3,
      expiresAt: expiresAt.toISOString(),
    });
    await untilDatabaseClockPasses(expiresAt);
    const { hold: voided, wallet } = await ledger.voidHold({ holdId: hold.id });
    expect(voided.status).toBe('EXPIRED');
    expect(wallet).toMatchObject({ heldMinor: 0n, availableMinor: 1000n });
    expect(await ledger.expireHolds()).toBe(0);
  });

  it('releases in bounded batches, all of them within one run', async () => {
    const walletId = await fundedWallet(10);
    const expiresAt = new Date(Date.now() + 1_000);
    await Promise.all(
      Array.from({ length: 7 }, () =>
        ledger.placeHold({ walletId, amount: 1, expiresAt: expiresAt.toISOString() }),
      ),
    );
    await untilDatabaseClockPasses(expiresAt);
    expect(await ledger.expireHolds({ batchSize: 3, batchesMax: 2 })).toBe(6);
    expect(await ledger.expireHolds({ batchSize: 3 })).toBe(1);
    expect((await ledger.getWalletBalance({ walletId })).heldMinor).toBe(0n);
    expect((await ledger.verify()).violations).toEqual([]);
  });
});
