import {
  DEBIT_ENTRY_TYPES,
  formatMinor,
  MAX_BALANCE_MINOR,
  minorDigitsOf,
  parseAmountMinor,
  type EntryType,
} from '@wallet/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  assertDistinctKeys,
  claimedKeyOf,
  planBatch,
  untakenKeysOf,
  type BatchSnapshot,
  type BatchWrites,
} from '../src/batch/plan';
import { LedgerError } from '../src/errors';
import { scopedKey } from '../src/idempotency';
import type { LockedWallet, PlannedEntry } from '../src/movements/book';
import { walletIdsOf, type WriteOutcome } from '../src/writes';
import {
  batchCase,
  CURRENCIES_USED,
  ledgerSum,
  OWNERS,
  type MovementRequest,
} from './plan-arbitraries';

const DEBITS: ReadonlySet<EntryType> = new Set(DEBIT_ENTRY_TYPES);
const signOf = (type: EntryType) => (DEBITS.has(type) ? -1n : 1n);

/**
 * planBatch (batch/plan.ts) without a database: for any locked wallets and any batch of
 * fundings, withdrawals and transfers over them, the plan conserves money (double entry:
 * every transaction sums to zero, and so does each currency's ledger), never overdraws, chains
 * each wallet's entries, refuses alone, resolves idempotency keys as documented, and is
 * exactly the plan of the same requests applied one by one. Each property plans a few
 * hundred batches in milliseconds.
 */

type Case = { requests: MovementRequest[]; snapshot: BatchSnapshot };

/** Each wallet's balance after the plan: its BalanceChange, or as it was locked. */
function balancesAfter(locked: ReadonlyMap<string, LockedWallet>, writes: BatchWrites) {
  const after = new Map([...locked].map(([id, wallet]) => [id, wallet.balanceMinor]));
  for (const change of writes.balances) after.set(change.id, BigInt(change.balance_minor));
  return after;
}

/** An outcome as a caller sees it: the value, or the refusal's code and details. */
function seen(outcome: WriteOutcome) {
  if (outcome.ok) return { ok: true, value: outcome.value };
  expect(outcome.error).toBeInstanceOf(LedgerError);
  const error = outcome.error as LedgerError;
  return { ok: false, code: error.code, details: error.details };
}

/** Entries without their ids: a transfer's entry ids are random (newId). */
const withoutIds = (entries: readonly PlannedEntry[]) =>
  entries.map(({ id: _id, ...rest }) => rest);

/** Each currency's sum over the clients' wallets (no external account). */
const byCurrency = (locked: ReadonlyMap<string, LockedWallet>, balances: Map<string, bigint>) => {
  const totals: Record<string, bigint> = {};
  for (const [id, wallet] of locked) {
    if (wallet.kind !== 'USER') continue;
    totals[wallet.currency] = (totals[wallet.currency] ?? 0n) + (balances.get(id) ?? 0n);
  }
  return totals;
};

describe('planBatch: money', () => {
  it("is double entry: every transaction's entries sum to zero, and each currency's ledger", () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        const sums = new Map<string, bigint>();
        for (const entry of writes.entries) {
          const transaction = entry.transfer_id ?? entry.id;
          const signed = signOf(entry.type) * BigInt(entry.amount_minor);
          sums.set(transaction, (sums.get(transaction) ?? 0n) + signed);
        }
        for (const sum of sums.values()) expect(sum).toBe(0n);
        const after = balancesAfter(snapshot.locked, writes);
        const wallets = [...snapshot.locked.values()].map((wallet) => ({
          currency: wallet.currency,
          balanceMinor: after.get(wallet.id) ?? wallet.balanceMinor,
        }));
        for (const currency of CURRENCIES_USED) expect(ledgerSum(wallets, currency)).toBe(0n);
      }),
    );
  });

  it('conserves money: the wallets of each currency change by the fundings less the withdrawals', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        const funded: Record<string, bigint> = {};
        requests.forEach((request, index) => {
          // (The arbitraries make no reversal: reversals.test.ts tests those.)
          if (request.kind === 'TRANSFER') return;
          if (!writes.outcomes[index]?.ok) return;
          const wallet = snapshot.locked.get(request.walletId);
          if (!wallet) throw new Error('a movement of a missing wallet succeeded');
          const amount = parseAmountMinor(request.amount, minorDigitsOf(wallet.currency));
          const signed = request.kind === 'FUND' ? amount : -amount;
          funded[wallet.currency] = (funded[wallet.currency] ?? 0n) + signed;
        });
        const before = byCurrency(
          snapshot.locked,
          balancesAfter(snapshot.locked, { ...writes, balances: [] }),
        );
        const after = byCurrency(snapshot.locked, balancesAfter(snapshot.locked, writes));
        for (const currency of Object.keys(before)) {
          expect(after[currency]).toBe((before[currency] ?? 0n) + (funded[currency] ?? 0n));
        }
      }),
    );
  });

  it('never overdraws nor passes the bound: a refused debit needed more than the wallet held', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        for (const [id, balance] of balancesAfter(snapshot.locked, writes)) {
          if (snapshot.locked.get(id)?.kind === 'EXTERNAL') expect(balance <= 0n).toBe(true);
          else expect(balance >= 0n && balance <= MAX_BALANCE_MINOR).toBe(true);
        }
        // Replay the outcomes over running balances: each refusal is justified by them.
        const running = new Map([...snapshot.locked].map(([id, w]) => [id, w.balanceMinor]));
        requests.forEach((request, index) => {
          const outcome = writes.outcomes[index];
          if (!outcome) throw new Error('one outcome per request');
          if (outcome.ok) {
            if ('entry' in outcome.value)
              running.set(outcome.value.wallet.id, outcome.value.wallet.balanceMinor);
            else if ('sender' in outcome.value) {
              running.set(outcome.value.sender.id, outcome.value.sender.balanceMinor);
              running.set(outcome.value.receiver.id, outcome.value.receiver.balanceMinor);
            }
            return;
          }
          const error = outcome.error as LedgerError;
          if (error.code !== 'INSUFFICIENT_FUNDS' || request.kind === 'FUND') return;
          const sender = snapshot.locked.get(
            request.kind === 'TRANSFER' ? request.senderWalletId : request.walletId,
          );
          if (!sender) throw new Error('an overdraft of a missing wallet');
          const digits = minorDigitsOf(sender.currency);
          const held = running.get(sender.id) ?? 0n;
          expect(parseAmountMinor(request.amount, digits)).toBeGreaterThan(held);
          expect(error.details).toMatchObject({ available: formatMinor(held, digits) });
        });
      }),
    );
  });

  it("chains each wallet's entries: sequence + 1, balance before = the previous after", () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        const last = new Map<string, { sequence: number; balance: bigint }>();
        for (const entry of writes.entries) {
          const wallet = snapshot.locked.get(entry.wallet_id);
          if (!wallet) throw new Error(`an entry for a wallet that was not locked`);
          const previous = last.get(entry.wallet_id) ?? {
            sequence: wallet.lastEntrySequence,
            balance: wallet.balanceMinor,
          };
          const amount = BigInt(entry.amount_minor);
          expect(entry.sequence).toBe(previous.sequence + 1);
          expect(entry.previous_sequence).toBe(entry.sequence > 1 ? entry.sequence - 1 : null);
          expect(BigInt(entry.balance_before_minor)).toBe(previous.balance);
          const sign = signOf(entry.type);
          expect(BigInt(entry.balance_after_minor)).toBe(previous.balance + sign * amount);
          expect(amount > 0n).toBe(true);
          last.set(entry.wallet_id, {
            sequence: entry.sequence,
            balance: BigInt(entry.balance_after_minor),
          });
        }
        // One BalanceChange per changed wallet, matching its latest entry (the FK's rule).
        expect(writes.balances.map((change) => change.id).sort()).toEqual([...last.keys()].sort());
        for (const change of writes.balances) {
          expect(change.last_entry_sequence).toBe(last.get(change.id)?.sequence);
          expect(BigInt(change.balance_minor)).toBe(last.get(change.id)?.balance);
        }
      }),
    );
  });

  it('keeps amounts exact: integer minor-unit text, the digits of the request', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        for (const entry of writes.entries) {
          expect(entry.amount_minor).toMatch(/^[1-9]\d*$/);
          // An external account's balances are at most zero: minus the money in the wallets.
          const sign = snapshot.locked.get(entry.wallet_id)?.kind === 'EXTERNAL' ? '-?' : '';
          for (const text of [entry.balance_before_minor, entry.balance_after_minor]) {
            expect(text).toMatch(new RegExp(`^${sign}(0|[1-9]\\d*)$`));
          }
        }
        requests.forEach((request, index) => {
          const outcome = writes.outcomes[index];
          if (!outcome?.ok || !('entry' in outcome.value)) return;
          const { entry } = outcome.value;
          expect(typeof entry.amountMinor).toBe('bigint');
          // Read off the text, not computed: "12.3" in a 2-digit currency is 1230.
          const [whole = '', fraction = ''] = request.amount.split('.');
          const digits = minorDigitsOf(entry.currency);
          const text = (whole + fraction.replace(/0+$/, '').padEnd(digits, '0')).replace(/^0+/, '');
          expect(String(entry.amountMinor)).toBe(text);
        });
      }),
    );
  });
});

describe('planBatch: each request alone', () => {
  it('a refused request changes nothing: the plan without it is the same for the others', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        const kept = requests.filter((_, index) => writes.outcomes[index]?.ok);
        const alone = planBatch(kept, snapshot);
        expect(alone.outcomes.map(seen)).toEqual(writes.outcomes.filter((o) => o.ok).map(seen));
        expect(withoutIds(alone.entries)).toEqual(withoutIds(writes.entries));
        expect(alone.balances).toEqual(writes.balances);
        expect(alone.audits).toEqual(writes.audits);
      }),
    );
  });

  it('is the plan of the same requests applied one by one, in batch order', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        const locked = new Map([...snapshot.locked].map(([id, wallet]) => [id, { ...wallet }]));
        const outcomes: WriteOutcome[] = [];
        const entries: PlannedEntry[] = [];
        for (const request of requests) {
          const one = planBatch([request], { ...snapshot, locked: new Map(locked) });
          outcomes.push(...one.outcomes);
          entries.push(...one.entries);
          for (const change of one.balances) {
            const wallet = locked.get(change.id);
            if (!wallet) throw new Error('a change to a wallet that was not locked');
            locked.set(change.id, {
              ...wallet,
              balanceMinor: BigInt(change.balance_minor),
              lastEntrySequence: change.last_entry_sequence ?? 0,
            });
          }
        }
        expect(writes.outcomes.map(seen)).toEqual(outcomes.map(seen));
        expect(withoutIds(writes.entries)).toEqual(withoutIds(entries));
      }),
    );
  });

  it('does not touch the locked rows it was given', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const copy = [...snapshot.locked].map(([id, wallet]) => [id, { ...wallet }]);
        planBatch(requests, snapshot);
        expect([...snapshot.locked]).toEqual(copy);
      }),
    );
  });
});

describe('planBatch: idempotency keys', () => {
  it('a key an earlier write holds is refused as a duplicate (a retry iff same operation and fingerprint)', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        requests.forEach((request, index) => {
          const scoped = claimedKeyOf(request);
          const holder = scoped === undefined ? undefined : snapshot.takenBy.get(scoped);
          if (!holder || !request.idempotency) return;
          // The holder is this owner's: another owner's use of the same string is another key.
          expect(holder.owner).toBe(request.idempotency.owner);
          const key = request.idempotency.key;
          expect(seen(writes.outcomes[index] as WriteOutcome)).toEqual({
            ok: false,
            code: 'DUPLICATE_IDEMPOTENCY_KEY',
            details: {
              idempotencyKey: key,
              originalTransactionId: holder.transactionId,
              sameRequest:
                holder.operation === request.kind &&
                holder.requestFingerprint === request.idempotency.fingerprint,
            },
          });
        });
      }),
    );
  });

  it('releases exactly the keys it claimed for requests it refused, audits exactly the successes', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        const refusedClaims = requests.flatMap((request, index) => {
          const claim = request.idempotency;
          if (claim === null || writes.outcomes[index]?.ok) return [];
          return snapshot.claimedKeys.has(scopedKey(claim.owner, claim.key))
            ? [{ owner: claim.owner, key: claim.key }]
            : [];
        });
        expect(writes.releasedKeys).toEqual(refusedClaims);
        const audits = requests.flatMap((r, i) =>
          r.audit && writes.outcomes[i]?.ok ? [r.audit] : [],
        );
        expect(writes.audits).toEqual(audits);
        // What the store must read back: the keys it could not claim, in batch order.
        const untaken = requests
          .flatMap((r) => r.idempotency ?? [])
          .filter((claim) => !snapshot.claimedKeys.has(scopedKey(claim.owner, claim.key)))
          .map((claim) => ({ owner: claim.owner, key: claim.key }));
        expect(untakenKeysOf(requests, snapshot.claimedKeys)).toEqual(untaken);
      }),
    );
  });

  it("asserts (a crash, not a refusal) that a batch holds each owner's key once: the batcher sees to it", () => {
    const keys = fc.array(
      fc.option(fc.tuple(fc.constantFrom(...OWNERS), fc.constantFrom('a', 'b'))),
      {
        maxLength: 24,
      },
    );
    fc.assert(
      fc.property(batchCase, keys, ({ requests }: Case, keyed) => {
        const rekeyed = requests.map((request, index) => {
          const [owner, key] = keyed[index] ?? [null, null];
          const idempotency = owner === null ? null : { owner, key, fingerprint: 'fp' };
          return { ...request, idempotency };
        });
        const used = rekeyed.flatMap((request) => claimedKeyOf(request) ?? []);
        if (new Set(used).size === used.length)
          expect(() => {
            assertDistinctKeys(rekeyed);
          }).not.toThrow();
        else
          expect(() => {
            assertDistinctKeys(rekeyed);
          }).toThrow(/idempotency key appears twice/);
      }),
    );
  });
});

describe('planBatch: wallets', () => {
  it('refuses a request naming a wallet the store did not find, or an external account; writes only locked wallets', () => {
    fc.assert(
      fc.property(batchCase, ({ requests, snapshot }: Case) => {
        const writes = planBatch(requests, snapshot);
        requests.forEach((request, index) => {
          const missing = walletIdsOf(request).some(
            (id) => snapshot.locked.get(id)?.kind !== 'USER',
          );
          const scoped = claimedKeyOf(request);
          const taken = scoped !== undefined && snapshot.takenBy.has(scoped);
          const outcome = writes.outcomes[index] as WriteOutcome;
          if (missing && !taken) expect(seen(outcome).code).toBe('WALLET_NOT_FOUND');
        });
        for (const entry of writes.entries) expect(snapshot.locked.has(entry.wallet_id)).toBe(true);
      }),
    );
  });
});
