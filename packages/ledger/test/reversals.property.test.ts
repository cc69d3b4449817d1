import { formatMinor } from '@wallet/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { lockOrderOf, planBatch, reversalOrderOf } from '../src/batch/plan';
import type { LedgerError } from '../src/errors';
import { externalAccountIdOf } from '../src/external-accounts';
import type { LockedWallet } from '../src/movements/book';
import type { ReverseResult } from '../src/types';
import type { ReverseRequest, ReversibleOriginal } from '../src/writes';
import { NOW } from './plan-arbitraries';

/**
 * The reversals' rules without a database (movements/reverse.ts through planBatch): for
 * any transfer, any part of it already reversed, any balances and any batch of reversals
 * of it, what the batch reverses never passes the original, and every refusal is
 * justified by the running state, as if each request had run alone in batch order.
 */

const SENDER = '01890000-0000-7000-8000-000000000001';
const RECEIVER = '01890000-0000-7000-8000-000000000002';
const ORIGINAL = '01890000-0000-7000-8000-0000000000aa';

function usdWallet(id: string, balanceMinor: bigint): LockedWallet {
  return {
    id,
    currency: 'USD',
    kind: 'USER',
    balanceMinor,
    heldMinor: 0n,
    lastEntrySequence: 10,
    status: 'ACTIVE' as const,
    metadata: {},
    createdAt: new Date(0),
  };
}

const original = (amountMinor: bigint): ReversibleOriginal => ({
  id: ORIGINAL,
  kind: 'TRANSFER',
  amountMinor,
  walletId: SENDER,
  receiverWalletId: RECEIVER,
});

function reversal(index: number, of: ReversibleOriginal, amountMinor: bigint | null) {
  return {
    kind: 'REVERSE',
    reversalId: `01890000-0000-7000-8000-${String(index).padStart(12, '0')}`,
    original: of,
    amount: amountMinor === null ? null : formatMinor(amountMinor, 2),
    description: null,
    metadata: {},
    idempotency: null,
    audit: null,
  } satisfies ReverseRequest;
}

const scenario = fc
  .record({
    amountMinor: fc.bigInt({ min: 1n, max: 10_000n }),
    reversedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    senderMinor: fc.bigInt({ min: 0n, max: 10_000n }),
    receiverMinor: fc.bigInt({ min: 0n, max: 20_000n }),
    amounts: fc.array(fc.option(fc.bigInt({ min: 1n, max: 6_000n }), { nil: null }), {
      minLength: 1,
      maxLength: 12,
    }),
  })
  .map(({ amountMinor, reversedShare, ...rest }) => ({
    ...rest,
    amountMinor,
    committedMinor: BigInt(Math.floor(Number(amountMinor) * reversedShare)),
  }));

describe('planBatch: reversals', () => {
  it('never reverses past the original, and every refusal is justified', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const of = original(s.amountMinor);
        const requests = s.amounts.map((amount, index) => reversal(index, of, amount));
        const locked = new Map([
          [SENDER, usdWallet(SENDER, s.senderMinor)],
          [RECEIVER, usdWallet(RECEIVER, s.receiverMinor)],
        ]);
        const reversedMinor = new Map(s.committedMinor > 0n ? [[ORIGINAL, s.committedMinor]] : []);
        const writes = planBatch(requests, {
          locked,
          now: NOW,
          claimedKeys: new Set(),
          takenBy: new Map(),
          reversedMinor,
        });
        let remaining = s.amountMinor - s.committedMinor;
        let receiver = s.receiverMinor;
        writes.outcomes.forEach((outcome, index) => {
          const asked = s.amounts[index] ?? null;
          const wanted = asked ?? remaining;
          if (outcome.ok) {
            const value = outcome.value as ReverseResult;
            expect(value.amountMinor).toBe(wanted);
            remaining -= wanted;
            receiver -= wanted;
            expect(value.reversedMinor).toBe(s.amountMinor - remaining);
            return;
          }
          const { code } = outcome.error as LedgerError;
          if (code === 'REVERSAL_EXCEEDS_ORIGINAL')
            expect(wanted > remaining || wanted === 0n).toBe(true);
          else {
            expect(code).toBe('INSUFFICIENT_FUNDS');
            expect(wanted).toBeGreaterThan(receiver);
          }
        });
        expect(remaining).toBeGreaterThanOrEqual(0n);
        // Each success: a TRANSFER_OUT on the receiver and a TRANSFER_IN on the sender, linked.
        const successes = writes.outcomes.filter((outcome) => outcome.ok).length;
        expect(writes.entries).toHaveLength(2 * successes);
        for (const entry of writes.entries) {
          expect(entry.reverses_transaction_id).toBe(ORIGINAL);
          expect(entry.wallet_id).toBe(entry.type === 'TRANSFER_OUT' ? RECEIVER : SENDER);
        }
        const after = new Map(
          writes.balances.map((change) => [change.id, BigInt(change.balance_minor)]),
        );
        const moved = s.amountMinor - s.committedMinor - remaining;
        if (successes > 0) {
          expect(after.get(RECEIVER)).toBe(s.receiverMinor - moved);
          expect(after.get(SENDER)).toBe(s.senderMinor + moved);
        }
      }),
    );
  });

  it("locks the original's wallets in the global order, and a funding's external account", () => {
    const transfer = reversal(1, original(100n), null);
    const funding = reversal(2, { ...original(100n), kind: 'FUND', receiverWalletId: null }, null);
    expect(lockOrderOf([transfer])).toMatchObject({
      walletIds: [SENDER, RECEIVER],
      externalFor: [],
    });
    expect(lockOrderOf([funding])).toMatchObject({ walletIds: [SENDER], externalFor: [SENDER] });
    expect(reversalOrderOf([funding, transfer, transfer])).toEqual([ORIGINAL]);
    const locked = new Map([
      [SENDER, usdWallet(SENDER, 100n)],
      [
        externalAccountIdOf('USD'),
        { ...usdWallet(externalAccountIdOf('USD'), -100n), kind: 'EXTERNAL' as const },
      ],
    ]);
    const writes = planBatch([funding], {
      locked,
      now: NOW,
      claimedKeys: new Set(),
      takenBy: new Map(),
    });
    expect(writes.entries.map((entry) => [entry.type, entry.wallet_id])).toEqual([
      ['WITHDRAWAL', SENDER],
      ['WITHDRAWAL_COUNTER', externalAccountIdOf('USD')],
    ]);
  });
});
