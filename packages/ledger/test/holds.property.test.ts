import { formatMinor, minorDigitsOf } from '@wallet/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { planBatch, type BatchSnapshot } from '../src/batch/plan';
import type { LockedWallet } from '../src/movements/book';
import type { WriteRequest } from '../src/writes';
import { amountText, idOf, lockedWallets, NOW } from './plan-arbitraries';

/**
 * planBatch with holds, without a database: for any locked wallets and any batch of
 * placements, captures, voids and transfers over them (captures and voids of holds
 * placed earlier in the batch), the plan never lets held pass the balance, keeps each
 * wallet's held equal to its pending holds, resolves each hold at most once, and never
 * captures more than a hold reserved.
 */

type Draft =
  /** `amount: null`: the payer's whole balance (an edge: exactly what is available). */
  | { kind: 'place'; payer: number; receiver: number | null; amount: string | null }
  | { kind: 'capture'; target: number; amount: string | null }
  | { kind: 'void'; target: number }
  | { kind: 'transfer'; sender: number; receiver: number; amount: string };

function drafts(walletCount: number): fc.Arbitrary<Draft[]> {
  const wallet = fc.nat({ max: walletCount - 1 });
  const draft: fc.Arbitrary<Draft> = fc.oneof(
    fc.record({
      kind: fc.constant('place' as const),
      payer: wallet,
      receiver: fc.option(wallet),
      amount: fc.option(amountText, { freq: 4 }),
    }),
    fc.record({
      kind: fc.constant('capture' as const),
      target: fc.nat({ max: 30 }),
      amount: fc.option(amountText),
    }),
    fc.record({ kind: fc.constant('void' as const), target: fc.nat({ max: 30 }) }),
    fc.record({
      kind: fc.constant('transfer' as const),
      sender: wallet,
      receiver: wallet,
      amount: amountText,
    }),
  );
  return fc.array(draft, { minLength: 1, maxLength: 30 });
}

/** The requests of the drafts: a capture or void names the hold of an earlier placement. */
function requestsOf(drafts: Draft[], wallets: LockedWallet[]): WriteRequest[] {
  const placed: string[] = [];
  const common = { idempotency: null, audit: null };
  return drafts.flatMap((draft, index): WriteRequest[] => {
    const walletAt = (at: number) => wallets[at % wallets.length] as LockedWallet;
    switch (draft.kind) {
      case 'place': {
        const payer = walletAt(draft.payer);
        const receiver = draft.receiver === null ? null : walletAt(draft.receiver);
        if (receiver?.id === payer.id) return [];
        const holdId = idOf('entry', index);
        placed.push(holdId);
        const amount =
          draft.amount === null
            ? formatMinor(
                payer.balanceMinor > 0n ? payer.balanceMinor : 1n,
                minorDigitsOf(payer.currency),
              )
            : draft.amount;
        return [
          {
            kind: 'PLACE_HOLD',
            holdId,
            walletId: payer.id,
            receiverWalletId: receiver?.id ?? null,
            amount,
            expiresAt: null,
            description: null,
            metadata: {},
            ...common,
          },
        ];
      }
      case 'capture': {
        const holdId = placed[draft.target % Math.max(placed.length, 1)];
        if (holdId === undefined) return [];
        const transactionId = idOf('transfer', index);
        return [
          {
            kind: 'CAPTURE_HOLD',
            holdId,
            transactionId,
            amount: draft.amount,
            metadata: {},
            ...common,
          },
        ];
      }
      case 'void': {
        const holdId = placed[draft.target % Math.max(placed.length, 1)];
        return holdId === undefined ? [] : [{ kind: 'VOID_HOLD', holdId, ...common }];
      }
      case 'transfer': {
        const sender = walletAt(draft.sender);
        const receiver = walletAt(draft.receiver);
        if (sender.id === receiver.id) return [];
        return [
          {
            kind: 'TRANSFER',
            transferId: idOf('transfer', index),
            senderWalletId: sender.id,
            receiverWalletId: receiver.id,
            amount: draft.amount,
            description: null,
            metadata: {},
            ...common,
          },
        ];
      }
    }
  });
}

const holdCase = lockedWallets().chain((locked) => {
  const wallets = [...locked.values()].filter((wallet) => wallet.kind === 'USER');
  return drafts(wallets.length).map((list) => ({
    requests: requestsOf(list, wallets),
    snapshot: {
      locked,
      now: NOW,
      claimedKeys: new Set<string>(),
      takenBy: new Map(),
    } satisfies BatchSnapshot,
  }));
});

describe('planBatch: holds', () => {
  it('keeps held within the balance and equal to the pending holds; resolves each hold once', () => {
    fc.assert(
      fc.property(holdCase, ({ requests, snapshot }) => {
        const writes = planBatch(requests, snapshot);
        const resolved = new Map(writes.resolvedHolds.map((r) => [r.id, r]));
        expect(resolved.size).toBe(writes.resolvedHolds.length);
        const pendingByWallet = new Map<string, bigint>();
        for (const hold of writes.placedHolds) {
          const resolution = resolved.get(hold.id);
          if (resolution?.status === 'CAPTURED') {
            expect(BigInt(resolution.captured_minor)).toBeLessThanOrEqual(
              BigInt(hold.amount_minor),
            );
          }
          if (resolution) continue;
          const before = pendingByWallet.get(hold.wallet_id) ?? 0n;
          pendingByWallet.set(hold.wallet_id, before + BigInt(hold.amount_minor));
        }
        for (const change of writes.balances) {
          const held = BigInt(change.held_minor);
          const wallet = snapshot.locked.get(change.id);
          if (wallet?.kind === 'EXTERNAL') {
            expect(held).toBe(0n);
            continue;
          }
          expect(held).toBeGreaterThanOrEqual(0n);
          expect(held).toBeLessThanOrEqual(BigInt(change.balance_minor));
          expect(held).toBe(pendingByWallet.get(change.id) ?? 0n);
        }
        // Each capture writes its one set of entries, every one naming its hold.
        const entriesPerHold = new Map<string, number>();
        for (const entry of writes.entries) {
          if (entry.hold_id === null) continue;
          entriesPerHold.set(entry.hold_id, (entriesPerHold.get(entry.hold_id) ?? 0) + 1);
        }
        for (const [holdId, count] of entriesPerHold) {
          expect(resolved.get(holdId)?.status).toBe('CAPTURED');
          expect(count).toBe(2);
        }
      }),
    );
  });
});
