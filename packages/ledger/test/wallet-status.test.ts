import { schema } from '@wallet/db';
import { and, asc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import {
  InvalidInputError,
  WalletClosedError,
  WalletFrozenError,
  WalletHasPendingHoldsError,
  WalletNotEmptyError,
  WalletNotFoundError,
  WalletStatusTransitionInvalidError,
  externalAccountIdOf,
} from '../src';
import { expectRefusedBy, useTestLedger } from './support';

/**
 * Wallet status: FROZEN refuses every debit (transfer out, withdrawal, hold placed or
 * captured from it, reversal taking money from it) and lets credits, voids and expiry
 * through; CLOSED refuses every movement, for good, and is reached only empty and
 * without pending holds. The ledger decides from the batch's locked row; the database
 * refuses the same on its own.
 */
const { ledger, db } = await useTestLedger(30);
const { wallets, ledgerEntries, ledgerEvents, auditLog } = schema;

async function walletWith(amount: number) {
  const wallet = await ledger.createWallet({});
  if (amount > 0) await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

function context() {
  const actor = `key:${uuidv7()}`;
  return { actor, owner: actor, requestId: `req-${actor}` };
}

async function expectClean() {
  expect((await ledger.verify()).violations).toEqual([]);
}

describe('a frozen wallet', () => {
  it('refuses every debit, each with WALLET_FROZEN, and moves nothing', async () => {
    const walletId = await walletWith(100);
    const other = await walletWith(0);
    const { hold } = await ledger.placeHold({ walletId, amount: 10 });
    const { entry: funding } = await ledger.fundWallet({ walletId, amount: 5 });
    await ledger.updateWallet({ walletId, status: 'FROZEN' });

    const refusals = [
      ledger.transferFunds({ senderWalletId: walletId, receiverWalletId: other, amount: 1 }),
      ledger.withdrawFunds({ walletId, amount: 1 }),
      ledger.placeHold({ walletId, amount: 1 }),
      ledger.captureHold({ holdId: hold.id }),
      ledger.reverseTransaction({ transactionId: funding.id }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toThrow(WalletFrozenError);
    await expect(ledger.withdrawFunds({ walletId, amount: 1 })).rejects.toMatchObject({
      code: 'WALLET_FROZEN',
      details: { walletId },
    });
    const balance = await ledger.getWalletBalance({ walletId });
    expect(balance).toMatchObject({ balanceMinor: 10500n, heldMinor: 1000n });
    await expectClean();
  });

  it('still takes money in (funding, transfer in) and releases holds (void)', async () => {
    const walletId = await walletWith(100);
    const sender = await walletWith(50);
    const { hold } = await ledger.placeHold({ walletId, amount: 30 });
    const frozen = await ledger.updateWallet({ walletId, status: 'FROZEN' });
    expect(frozen.status).toBe('FROZEN');

    await ledger.fundWallet({ walletId, amount: 1 });
    await ledger.transferFunds({ senderWalletId: sender, receiverWalletId: walletId, amount: 2 });
    await ledger.voidHold({ holdId: hold.id });
    const balance = await ledger.getWalletBalance({ walletId });
    expect(balance).toMatchObject({ balanceMinor: 10300n, heldMinor: 0n, availableMinor: 10300n });
    await expectClean();
  });

  it("refuses only its own write in a batch: the batch's other writes commit", async () => {
    const frozen = await walletWith(100);
    const others = await Promise.all([walletWith(0), walletWith(0), walletWith(0)]);
    await ledger.updateWallet({ walletId: frozen, status: 'FROZEN' });
    const outcomes = await Promise.allSettled([
      ledger.withdrawFunds({ walletId: frozen, amount: 1 }),
      ...others.map((walletId) => ledger.fundWallet({ walletId, amount: 2 })),
      ledger.transferFunds({
        senderWalletId: frozen,
        receiverWalletId: others[0],
        amount: 1,
      }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
    for (const walletId of others) {
      expect((await ledger.getWalletBalance({ walletId })).balanceMinor).toBe(200n);
    }
    await expectClean();
  });

  it('moves money again once made active', async () => {
    const walletId = await walletWith(100);
    const other = await walletWith(0);
    await ledger.updateWallet({ walletId, status: 'FROZEN' });
    await expect(
      ledger.transferFunds({ senderWalletId: walletId, receiverWalletId: other, amount: 1 }),
    ).rejects.toThrow(WalletFrozenError);
    await ledger.updateWallet({ walletId, status: 'ACTIVE' });
    const { sender } = await ledger.transferFunds({
      senderWalletId: walletId,
      receiverWalletId: other,
      amount: 1,
    });
    expect(sender).toMatchObject({ balanceMinor: 9900n, status: 'ACTIVE' });
  });

  it("refuses a transfer back of a transfer it received (the reversal's debit is its)", async () => {
    const sender = await walletWith(100);
    const receiver = await walletWith(0);
    const { transferId } = await ledger.transferFunds({
      senderWalletId: sender,
      receiverWalletId: receiver,
      amount: 10,
    });
    await ledger.updateWallet({ walletId: receiver, status: 'FROZEN' });
    await expect(ledger.reverseTransaction({ transactionId: transferId })).rejects.toThrow(
      WalletFrozenError,
    );
    // The sender frozen instead: the reversal credits it, which a frozen wallet takes.
    await ledger.updateWallet({ walletId: receiver, status: 'ACTIVE' });
    await ledger.updateWallet({ walletId: sender, status: 'FROZEN' });
    await ledger.reverseTransaction({ transactionId: transferId });
    expect((await ledger.getWalletBalance({ walletId: sender })).balanceMinor).toBe(10000n);
  });
});

describe('a closed wallet', () => {
  it('refuses every movement, in or out, with WALLET_CLOSED', async () => {
    const walletId = await walletWith(0);
    const other = await walletWith(100);
    const closed = await ledger.updateWallet({ walletId, status: 'CLOSED' });
    expect(closed).toMatchObject({ status: 'CLOSED', balanceMinor: 0n });

    const refusals = [
      ledger.fundWallet({ walletId, amount: 1 }),
      ledger.transferFunds({ senderWalletId: other, receiverWalletId: walletId, amount: 1 }),
      ledger.transferFunds({ senderWalletId: walletId, receiverWalletId: other, amount: 1 }),
      ledger.withdrawFunds({ walletId, amount: 1 }),
      ledger.placeHold({ walletId, amount: 1 }),
      ledger.placeHold({ walletId: other, amount: 1, receiverWalletId: walletId }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toThrow(WalletClosedError);
    expect((await ledger.getWalletBalance({ walletId: other })).heldMinor).toBe(0n);
    await expectClean();
  });

  it('refuses the capture of a hold whose receiver closed meanwhile', async () => {
    const payer = await walletWith(100);
    const receiver = await walletWith(0);
    const { hold } = await ledger.placeHold({
      walletId: payer,
      amount: 5,
      receiverWalletId: receiver,
    });
    await ledger.updateWallet({ walletId: receiver, status: 'CLOSED' });
    await expect(ledger.captureHold({ holdId: hold.id })).rejects.toThrow(WalletClosedError);
    await ledger.voidHold({ holdId: hold.id });
  });

  it('stays closed: no way back to ACTIVE or FROZEN', async () => {
    const walletId = await walletWith(0);
    await ledger.updateWallet({ walletId, status: 'CLOSED' });
    for (const status of ['ACTIVE', 'FROZEN'] as const) {
      await expect(ledger.updateWallet({ walletId, status })).rejects.toThrow(
        WalletStatusTransitionInvalidError,
      );
    }
    // Closing it again changes nothing; its metadata may still be kept up to date.
    await ledger.updateWallet({ walletId, status: 'CLOSED' });
    const kept = await ledger.updateWallet({ walletId, metadata: { archived: 'yes' } });
    expect(kept).toMatchObject({ status: 'CLOSED', metadata: { archived: 'yes' } });
  });

  it('is refused while the wallet holds money, or while holds are pending', async () => {
    const walletId = await walletWith(10);
    await expect(ledger.updateWallet({ walletId, status: 'CLOSED' })).rejects.toThrow(
      WalletNotEmptyError,
    );
    const { hold } = await ledger.placeHold({ walletId, amount: 10 });
    await expect(ledger.updateWallet({ walletId, status: 'CLOSED' })).rejects.toThrow(
      WalletHasPendingHoldsError,
    );
    await ledger.voidHold({ holdId: hold.id });
    await ledger.withdrawFunds({ walletId, amount: 10 });
    const closed = await ledger.updateWallet({ walletId, status: 'CLOSED' });
    expect(closed.status).toBe('CLOSED');
    // A frozen wallet closes as an active one does (empty, without holds).
    const frozen = await walletWith(0);
    await ledger.updateWallet({ walletId: frozen, status: 'FROZEN' });
    expect((await ledger.updateWallet({ walletId: frozen, status: 'CLOSED' })).status).toBe(
      'CLOSED',
    );
  });

  it('races a funding: one wins, and no closed wallet ever holds money', async () => {
    const rounds = 20;
    let closes = 0;
    let fundings = 0;
    for (let round = 0; round < rounds; round++) {
      const walletId = await walletWith(0);
      const [funding, close] = await Promise.allSettled([
        ledger.fundWallet({ walletId, amount: 3 }),
        ledger.updateWallet({ walletId, status: 'CLOSED' }),
      ]);
      const [row] = await db.select().from(wallets).where(eq(wallets.id, walletId));
      if (close.status === 'fulfilled') {
        closes++;
        expect(funding.status === 'rejected' && funding.reason).toBeInstanceOf(WalletClosedError);
        expect(row).toMatchObject({ status: 'CLOSED', balanceMinor: 0n });
      } else {
        fundings++;
        expect(close.reason).toBeInstanceOf(WalletNotEmptyError);
        expect(funding.status).toBe('fulfilled');
        expect(row).toMatchObject({ status: 'ACTIVE', balanceMinor: 300n });
      }
    }
    expect(closes + fundings).toBe(rounds);
    await expectClean();
  });
});

describe('updateWallet', () => {
  it('records wallet.status_changed for each status change, none for metadata alone', async () => {
    const walletId = await walletWith(0);
    await ledger.updateWallet({ walletId, status: 'FROZEN' });
    await ledger.updateWallet({ walletId, metadata: { owner: 'u-1' } });
    await ledger.updateWallet({ walletId, status: 'FROZEN' }); // the same: nothing
    await ledger.updateWallet({ walletId, status: 'ACTIVE' });
    const events = await db
      .select()
      .from(ledgerEvents)
      .where(
        and(eq(ledgerEvents.walletId, walletId), eq(ledgerEvents.type, 'wallet.status_changed')),
      )
      .orderBy(asc(ledgerEvents.transactionXid), asc(ledgerEvents.position));
    expect(events.map((event) => event.payload)).toEqual([
      { walletId, from: 'ACTIVE', to: 'FROZEN' },
      { walletId, from: 'FROZEN', to: 'ACTIVE' },
    ]);
    expect(events.every((event) => event.amountMinor === null)).toBe(true);
  });

  it('audits each change, and each refusal, with who did it', async () => {
    const walletId = await walletWith(5);
    const who = context();
    await ledger.updateWallet({ walletId, status: 'FROZEN', metadata: { k: 'v' } }, who);
    await expect(ledger.updateWallet({ walletId, status: 'CLOSED' }, who)).rejects.toThrow(
      WalletNotEmptyError,
    );
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.target, walletId), eq(auditLog.action, 'wallets.update')))
      .orderBy(asc(auditLog.id));
    expect(rows.map(({ actor, outcome, details }) => ({ actor, outcome, details }))).toEqual([
      {
        actor: who.actor,
        outcome: 'success',
        details: { from: 'ACTIVE', to: 'FROZEN', metadata: { k: 'v' } },
      },
      {
        actor: who.actor,
        outcome: 'refused',
        details: expect.objectContaining({ code: 'WALLET_NOT_EMPTY', walletId }) as unknown,
      },
    ]);
  });

  it('replaces the whole metadata, returned on every read', async () => {
    const created = await ledger.createWallet({ metadata: { owner: 'u-7', tier: 'gold' } });
    expect(created.metadata).toEqual({ owner: 'u-7', tier: 'gold' });
    const walletId = created.id;
    await ledger.updateWallet({ walletId, metadata: { owner: 'u-8' } });
    expect((await ledger.getWallet({ walletId })).metadata).toEqual({ owner: 'u-8' });
    await ledger.updateWallet({ walletId, metadata: {} });
    expect((await ledger.getWallet({ walletId })).metadata).toEqual({});
  });

  it('refuses an unknown wallet, an external account and an empty change', async () => {
    await expect(ledger.updateWallet({ walletId: uuidv7(), status: 'FROZEN' })).rejects.toThrow(
      WalletNotFoundError,
    );
    await expect(
      ledger.updateWallet({ walletId: externalAccountIdOf('USD'), status: 'FROZEN' }),
    ).rejects.toThrow(WalletNotFoundError);
    const walletId = await walletWith(0);
    await expect(ledger.updateWallet({ walletId })).rejects.toThrow(InvalidInputError);
  });
});

describe('listWallets by status and metadata', () => {
  it('finds the wallets whose metadata holds every pair, of a status', async () => {
    const tag = uuidv7();
    const a = await ledger.createWallet({ metadata: { tag, owner: 'alice' } });
    const b = await ledger.createWallet({ metadata: { tag, owner: 'bob' } });
    await ledger.createWallet({ metadata: { owner: 'alice' } });
    await ledger.updateWallet({ walletId: b.id, status: 'FROZEN' });

    const ids = async (input: Parameters<typeof ledger.listWallets>[0]) =>
      (await ledger.listWallets(input)).items.map((wallet) => wallet.id);
    expect(await ids({ metadata: { tag } })).toEqual([b.id, a.id]);
    expect(await ids({ metadata: { tag, owner: 'alice' } })).toEqual([a.id]);
    expect(await ids({ metadata: { tag }, status: 'FROZEN' })).toEqual([b.id]);
    expect(await ids({ metadata: { tag, owner: 'carol' } })).toEqual([]);
    const page = await ledger.listWallets({ metadata: { tag }, limit: 1 });
    expect(page.items.map((wallet) => wallet.id)).toEqual([b.id]);
    expect(await ids({ metadata: { tag }, cursor: page.nextCursor ?? '' })).toEqual([a.id]);
  });

  it('refuses more filters than METADATA_FILTERS_MAX', async () => {
    const metadata = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((key) => [key, 'x']));
    await expect(ledger.listWallets({ metadata })).rejects.toThrow(InvalidInputError);
  });
});

describe('the database refuses what the status forbids, whatever the code does', () => {
  async function statusOf(walletId: string, status: 'FROZEN' | 'CLOSED') {
    await db.update(wallets).set({ status }).where(eq(wallets.id, walletId));
  }

  const debitOf = (walletId: string) => ({
    id: uuidv7(),
    walletId,
    sequence: 2,
    previousSequence: 1,
    type: 'WITHDRAWAL' as const,
    amountMinor: 100n,
    balanceBeforeMinor: 1000n,
    balanceAfterMinor: 900n,
  });

  it('a debit entry on a frozen wallet (a raw INSERT)', async () => {
    const walletId = await walletWith(10);
    await statusOf(walletId, 'FROZEN');
    await expectRefusedBy(
      db.insert(ledgerEntries).values(debitOf(walletId)),
      'ledger_entries_no_debit_of_frozen_wallet',
      'exact',
    );
  });

  it('any entry on a closed wallet, a credit too', async () => {
    const walletId = await walletWith(0);
    await ledger.updateWallet({ walletId, status: 'CLOSED' });
    await expectRefusedBy(
      db.insert(ledgerEntries).values({
        ...debitOf(walletId),
        sequence: 1,
        previousSequence: null,
        type: 'FUND',
        balanceBeforeMinor: 0n,
        balanceAfterMinor: 100n,
      }),
      'ledger_entries_wallet_not_closed',
      'exact',
    );
  });

  it('closing a wallet that holds money, or leaving CLOSED', async () => {
    const full = await walletWith(10);
    await expectRefusedBy(statusOf(full, 'CLOSED'), 'wallets_closed_empty', 'exact');
    const empty = await walletWith(0);
    await statusOf(empty, 'CLOSED');
    await expectRefusedBy(
      db.update(wallets).set({ status: 'ACTIVE' }).where(eq(wallets.id, empty)),
      'wallets_closed_final',
      'exact',
    );
  });

  it('a new reservation on a frozen wallet', async () => {
    const walletId = await walletWith(10);
    await statusOf(walletId, 'FROZEN');
    await expectRefusedBy(
      db.update(wallets).set({ heldMinor: 1n }).where(eq(wallets.id, walletId)),
      'wallets_frozen_reserves_nothing_new',
      'exact',
    );
  });

  it('an external account frozen, and metadata that is not an object of strings', async () => {
    await expectRefusedBy(
      statusOf(externalAccountIdOf('USD'), 'FROZEN'),
      'wallets_external_active',
      'exact',
    );
    const walletId = await walletWith(0);
    for (const metadata of [[], { n: 1 }, 'text']) {
      await expectRefusedBy(
        db
          .update(wallets)
          .set({ metadata: metadata as unknown as Record<string, string> })
          .where(eq(wallets.id, walletId)),
        'wallets_metadata_shape',
        'exact',
      );
    }
  });
});
