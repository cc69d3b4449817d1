import { describe, expect, it } from 'vitest';

import { checkHistory } from '../checker';
import type { FinalEntry, FinalState } from '../final-state';
import {
  History,
  type Attempt,
  type AttemptOutcome,
  type TotalsOp,
  type WriteInput,
  type WriteOp,
  type WriteOutcome,
} from '../history';

/**
 * The bank test's checker on hand-made histories: a clean one passes, and each kind of
 * anomaly it exists to catch is caught. (The bank test itself is `pnpm test:bank`.)
 */

const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const T1 = '00000000-0000-7000-8000-0000000000f1';

function attempt(outcome: AttemptOutcome, startedAt = 10, endedAt = 20): Attempt {
  return { endpoint: 0, protocol: 'rest', startedAt, endedAt, outcome };
}

function write(
  key: string,
  input: WriteInput,
  outcome: WriteOutcome,
  attempts?: Attempt[],
): WriteOp {
  return {
    kind: 'write',
    client: 0,
    key,
    description: `bank ${key}`,
    input,
    protocol: 'rest',
    shortTimeoutMs: undefined,
    invokedAt: 10,
    completedAt: 20,
    attempts: attempts ?? [attempt({ type: 'ok' })],
    outcome,
  };
}

const ok: WriteOutcome = { type: 'ok', transactionId: undefined };
const fundA = (cents: bigint): WriteInput => ({ kind: 'fund', walletId: A, amountCents: cents });
const withdrawB = (cents: bigint): WriteInput => ({
  kind: 'withdraw',
  walletId: B,
  amountCents: cents,
});
const aToB = (cents: bigint): WriteInput => ({
  kind: 'transfer',
  senderWalletId: A,
  receiverWalletId: B,
  amountCents: cents,
});

function entry(
  fields: Partial<FinalEntry> & Pick<FinalEntry, 'id' | 'walletId' | 'type'>,
): FinalEntry {
  return {
    amountCents: 0n,
    balanceBeforeCents: 0n,
    balanceAfterCents: 0n,
    description: null,
    transferId: null,
    counterpartyWalletId: null,
    reversesTransactionId: null,
    ...fields,
  };
}

/**
 * A funded with 100 (key f1), then 30 moved A → B (key t1), then 20 withdrawn from B (key
 * w1): the state every history here starts from.
 */
function cleanWorld() {
  const history = new History();
  history.add(write('f1', fundA(100n), ok));
  history.add(write('t1', aToB(30n), ok));
  history.add(write('w1', withdrawB(20n), ok));
  const entries = {
    fund: entry({
      id: 'e1',
      walletId: A,
      type: 'FUND',
      amountCents: 100n,
      balanceAfterCents: 100n,
      description: 'bank f1',
    }),
    out: entry({
      id: 'e2',
      walletId: A,
      type: 'TRANSFER_OUT',
      amountCents: 30n,
      balanceBeforeCents: 100n,
      balanceAfterCents: 70n,
      description: 'bank t1',
      transferId: T1,
      counterpartyWalletId: B,
    }),
    into: entry({
      id: 'e3',
      walletId: B,
      type: 'TRANSFER_IN',
      amountCents: 30n,
      balanceAfterCents: 30n,
      description: 'bank t1',
      transferId: T1,
      counterpartyWalletId: A,
    }),
    withdrawal: entry({
      id: 'e4',
      walletId: B,
      type: 'WITHDRAWAL',
      amountCents: 20n,
      balanceBeforeCents: 30n,
      balanceAfterCents: 10n,
      description: 'bank w1',
    }),
  };
  const final: FinalState = {
    wallets: [
      { id: A, balanceCents: 70n, heldCents: 0n, entries: [entries.out, entries.fund] },
      { id: B, balanceCents: 10n, heldCents: 0n, entries: [entries.withdrawal, entries.into] },
    ],
    verify: {
      walletCount: 2,
      entryCount: 4,
      totals: [
        {
          currency: 'USD',
          walletCount: 2,
          balancesCents: 80n,
          fundingsCents: 100n,
          withdrawalsCents: 20n,
        },
      ],
      violations: [],
    },
  };
  return { history, final, entries };
}

function check(history: History, final: FinalState) {
  return checkHistory({
    history,
    final,
    walletCount: 2,
    graceMs: 1_000,
    requestTimeoutMs: 8_000,
    crashes: [],
  });
}

function checksFailed(history: History, final: FinalState): string[] {
  return check(history, final).violations.map((violation) => violation.check);
}

function totalsRead(
  startedAt: number,
  endedAt: number,
  balances: bigint,
  fundings: bigint,
  withdrawals = 20n,
): TotalsOp {
  return {
    kind: 'totals',
    client: 1,
    protocol: 'trpc',
    walletId: undefined,
    invokedAt: startedAt,
    completedAt: endedAt,
    attempts: [attempt({ type: 'ok' }, startedAt, endedAt)],
    result: [
      {
        currency: 'USD',
        walletCount: 2,
        balancesCents: balances,
        fundingsCents: fundings,
        withdrawalsCents: withdrawals,
      },
    ],
  };
}

describe('the bank checker', () => {
  it('finds nothing wrong with a clean history', () => {
    const { history, final } = cleanWorld();
    history.add(totalsRead(30, 40, 80n, 100n));
    expect(check(history, final).violations).toEqual([]);
  });

  it('catches an acknowledged transfer missing from the final state', () => {
    const { history, final } = cleanWorld();
    history.add(write('t2', aToB(5n), ok));
    expect(checksFailed(history, final)).toContain('acknowledged writes appear exactly once');
  });

  it('catches a key applied twice', () => {
    const { history, final, entries } = cleanWorld();
    const again = { ...entries.fund, id: 'e9' };
    final.wallets[0]?.entries.push(again);
    expect(checksFailed(history, final)).toContain('each key applied at most once');
  });

  it('resolves an unknown outcome by reading, and catches a refusal that was applied', () => {
    const unknown = cleanWorld();
    const maybe = write('t1', aToB(30n), { type: 'unknown', last: 'timeout' }, [
      attempt({ type: 'timeout', timeoutMs: 100 }),
    ]);
    unknown.history.ops.splice(1, 1, maybe);
    const report = check(unknown.history, unknown.final);
    expect(report.violations).toEqual([]);
    expect(report.resolutions.unknownApplied).toBe(1);

    const refused = cleanWorld();
    const no = write('t1', aToB(30n), {
      type: 'refused',
      status: 400,
      reason: 'INSUFFICIENT_FUNDS',
      message: 'Insufficient balance',
      definite: true,
    });
    refused.history.ops.splice(1, 1, no);
    expect(checksFailed(refused.history, refused.final)).toContain('refused writes never appear');
  });

  it('catches an entry no client asked for', () => {
    const { history, final, entries } = cleanWorld();
    final.wallets[1]?.entries.unshift({ ...entries.into, id: 'e8', description: 'bank nobody' });
    expect(checksFailed(history, final)).toContain('no phantom entries');
  });

  it('catches snapshot reads that break conservation or go back in time', () => {
    const { history, final } = cleanWorld();
    history.add(totalsRead(30, 40, 100n, 100n));
    expect(checksFailed(history, final)).toContain('snapshot: balances = fundings − withdrawals');

    const shrinking = cleanWorld();
    shrinking.history.add(totalsRead(30, 40, 80n, 100n));
    shrinking.history.add(totalsRead(50, 60, 0n, 0n, 0n));
    expect(checksFailed(shrinking.history, shrinking.final)).toEqual(
      expect.arrayContaining([
        'snapshot: fundings never shrink',
        'snapshot: fundings in real time',
        'snapshot: withdrawals never shrink',
        'snapshot: withdrawals in real time',
      ]),
    );

    const invented = cleanWorld();
    invented.history.add(totalsRead(30, 40, 180n, 200n));
    expect(checksFailed(invented.history, invented.final)).toContain(
      'snapshot: fundings in real time',
    );
  });

  it('catches a negative balance in any response', () => {
    const { history, final } = cleanWorld();
    history.sawBalance({ walletId: A, balanceCents: -1n, at: 15, source: 'rest transfer' });
    expect(checksFailed(history, final)).toContain('no negative balance');
  });

  it('allows a 503 only near a fault, and no other 5xx at all', () => {
    const unavailable: AttemptOutcome = { type: 'unavailable', status: 503, message: 'down' };
    const retried = (outcome: AttemptOutcome, startedAt: number) =>
      write('t1', aToB(30n), ok, [
        attempt(outcome, startedAt, startedAt + 10),
        attempt({ type: 'ok' }),
      ]);

    const near = cleanWorld();
    near.history.fault({
      kind: 'db-restart',
      target: 'postgres',
      startedAt: 5_000,
      recoveredAt: 6_000,
    });
    near.history.ops.splice(1, 1, retried(unavailable, 6_500));
    expect(check(near.history, near.final).violations).toEqual([]);

    const far = cleanWorld();
    far.history.fault({
      kind: 'db-restart',
      target: 'postgres',
      startedAt: 5_000,
      recoveredAt: 6_000,
    });
    far.history.ops.splice(1, 1, retried(unavailable, 9_000));
    expect(checksFailed(far.history, far.final)).toContain('503 only near faults');

    const internal = cleanWorld();
    const error: AttemptOutcome = {
      type: 'server-error',
      status: 500,
      message: 'Internal server error',
    };
    internal.history.ops.splice(1, 1, retried(error, 6_500));
    expect(checksFailed(internal.history, internal.final)).toContain('no 5xx but 503');
  });

  it('expects a withdrawal once as one WITHDRAWAL, and accepts its refusal for insufficient funds', () => {
    const twice = cleanWorld();
    twice.final.wallets[1]?.entries.unshift({ ...twice.entries.withdrawal, id: 'e9' });
    expect(checksFailed(twice.history, twice.final)).toContain('each key applied at most once');

    const credited = cleanWorld();
    const wallet = credited.final.wallets[1];
    if (wallet) wallet.entries[0] = { ...credited.entries.withdrawal, type: 'FUND' };
    expect(checksFailed(credited.history, credited.final)).toContain(
      'each key applied at most once',
    );

    const refused = cleanWorld();
    refused.history.add(
      write(
        'w2',
        withdrawB(500n),
        {
          type: 'refused',
          status: 400,
          reason: 'INSUFFICIENT_FUNDS',
          message: 'Insufficient balance',
          definite: true,
        },
        [
          attempt({
            type: 'refused',
            status: 400,
            reason: 'INSUFFICIENT_FUNDS',
            message: 'Insufficient balance',
          }),
        ],
      ),
    );
    expect(check(refused.history, refused.final).violations).toEqual([]);
  });

  it('catches final totals whose withdrawals disagree with the WITHDRAWAL entries', () => {
    const { history, final } = cleanWorld();
    const [usd] = final.verify.totals;
    if (usd) usd.withdrawalsCents = 0n;
    expect(checksFailed(history, final)).toContain('final totals agree');
  });

  it('expects a hold captured once, as the capture asked, and available never below zero', () => {
    const H1 = '00000000-0000-7000-8000-0000000000c1';
    const hold: WriteInput = {
      kind: 'hold',
      walletId: A,
      receiverWalletId: null,
      amountCents: 10n,
      expiresAt: '2026-12-31T00:00:00.000Z',
    };
    const capture: WriteInput = {
      kind: 'capture',
      holdId: H1,
      holdKey: 'h1',
      walletId: A,
      receiverWalletId: null,
      amountCents: 4n,
      whole: false,
    };
    const refusedAgain: WriteOutcome = {
      type: 'refused',
      status: 400,
      reason: 'HOLD_NOT_PENDING',
      message: 'no longer pending',
      definite: true,
    };
    const captureEntry = (id: string, before: bigint) =>
      entry({
        id,
        walletId: A,
        type: 'WITHDRAWAL',
        amountCents: 4n,
        balanceBeforeCents: before,
        balanceAfterCents: before - 4n,
        description: 'bank h1',
      });
    const world = (captures: FinalEntry[], heldCents = 0n) => {
      const { history, final, entries } = cleanWorld();
      history.add(write('h1', hold, { type: 'ok', transactionId: H1 }));
      history.add(write('h1-capture', capture, { type: 'ok', transactionId: 'e5' }));
      history.add(
        write('h1-capture-again', capture, refusedAgain, [
          attempt({ type: 'refused', status: 400, reason: 'HOLD_NOT_PENDING', message: '' }),
        ]),
      );
      const withdrawn = BigInt(captures.length) * 4n;
      const [a, b] = final.wallets;
      if (!a || !b) throw new Error('two wallets');
      final.wallets = [
        {
          ...a,
          balanceCents: 70n - withdrawn,
          heldCents,
          entries: [...captures, entries.out, entries.fund],
        },
        b,
      ];
      const [usd] = final.verify.totals;
      if (usd) {
        usd.balancesCents = 80n - withdrawn;
        usd.withdrawalsCents = 20n + withdrawn;
      }
      final.verify.entryCount = 4 + captures.length;
      return { history, final };
    };
    const clean = world([captureEntry('e5', 70n)]);
    expect(check(clean.history, clean.final).violations).toEqual([]);
    const twice = world([captureEntry('e6', 66n), captureEntry('e5', 70n)]);
    expect(checksFailed(twice.history, twice.final)).toContain('each hold captured at most once');
    const missing = world([]);
    expect(checksFailed(missing.history, missing.final)).toContain('acknowledged captures appear');
    const overHeld = world([captureEntry('e5', 70n)], 67n);
    expect(checksFailed(overHeld.history, overHeld.final)).toContain('available ≥ 0');
  });

  it("accepts a placement refused for its expiry only when the server's clock had passed it", () => {
    const hold: WriteInput = {
      kind: 'hold',
      walletId: A,
      receiverWalletId: null,
      amountCents: 10n,
      expiresAt: '2026-12-07T12:00:00.000Z',
    };
    const refusedAt = (serverTime: string) => {
      const message = `expiresAt must be in the future (the server's time is ${serverTime})`;
      const refusal = { type: 'refused', status: 422, reason: 'INVALID_INPUT', message } as const;
      const { history, final } = cleanWorld();
      history.add(
        write('h2', hold, { ...refusal, definite: false }, [
          attempt({ type: 'timeout', timeoutMs: 100 }),
          attempt(refusal),
        ]),
      );
      return checksFailed(history, final);
    };
    expect(refusedAt('2026-12-07T12:00:00.001Z')).toEqual([]);
    expect(refusedAt('2026-12-07T11:59:59.000Z')).toContain('expected refusals only');
  });

  it('expects a reversal once as a transfer back, linked, within its original', () => {
    const R1 = '00000000-0000-7000-8000-0000000000e1';
    const reverseT1 = (cents: bigint, originalCents = 30n): WriteInput => ({
      kind: 'reverse',
      original: {
        kind: 'transfer',
        transactionId: T1,
        amountCents: originalCents,
        walletId: A,
        receiverWalletId: B,
      },
      amountCents: cents,
    });
    const reversed = (originalCents?: bigint) => {
      const world = cleanWorld();
      world.history.add(write('r1', reverseT1(10n, originalCents), ok));
      const [a, b] = world.final.wallets;
      if (!a || !b) throw new Error('two wallets');
      const links = { description: 'bank r1', transferId: R1, reversesTransactionId: T1 };
      b.entries.unshift(
        entry({
          id: 'e5',
          walletId: B,
          type: 'TRANSFER_OUT',
          amountCents: 10n,
          balanceBeforeCents: 10n,
          counterpartyWalletId: A,
          ...links,
        }),
      );
      a.entries.unshift(
        entry({
          id: 'e6',
          walletId: A,
          type: 'TRANSFER_IN',
          amountCents: 10n,
          balanceBeforeCents: 70n,
          balanceAfterCents: 80n,
          counterpartyWalletId: B,
          ...links,
        }),
      );
      a.balanceCents = 80n;
      b.balanceCents = 0n;
      return world;
    };
    const clean = reversed();
    expect(check(clean.history, clean.final).violations).toEqual([]);

    const past = reversed(5n);
    expect(checksFailed(past.history, past.final)).toContain(
      'reversals never exceed their original',
    );

    const unlinked = reversed();
    const first = unlinked.final.wallets[0]?.entries[0];
    if (first) first.reversesTransactionId = null;
    expect(checksFailed(unlinked.history, unlinked.final)).toContain(
      'each key applied at most once',
    );

    const refusal: AttemptOutcome = {
      type: 'refused',
      status: 400,
      reason: 'REVERSAL_EXCEEDS_ORIGINAL',
      message: 'left to reverse',
    };
    const refused = cleanWorld();
    refused.history.add(
      write('r2', reverseT1(31n), { ...refusal, definite: true }, [attempt(refusal)]),
    );
    expect(check(refused.history, refused.final).violations).toEqual([]);
  });
});
