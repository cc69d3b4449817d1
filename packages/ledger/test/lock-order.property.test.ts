import type { Db } from '@wallet/db';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

import { assertDistinctKeys, claimedKeyOf, compareText, lockOrderOf } from '../src/batch/plan';
import { LedgerBusyError } from '../src/errors';
import { createGroupCommitter } from '../src/group-commit';
import { prepareFunding } from '../src/funding';
import { prepareTransfer } from '../src/transfers';
import {
  externalAccountWalletIdsOf,
  transactionIdOf,
  walletIdsOf,
  type WriteOutcome,
  type WriteRequest,
  type WriteResult,
} from '../src/writes';
import { batchCase } from './plan-arbitraries';

/**
 * The orders that keep batches from deadlocking, and the batcher's limits, without a
 * database: every batch claims its keys and locks its wallets in one global order
 * whatever the order of its requests, and the group committer (with applyWriteBatch
 * replaced by a recorder) never builds a batch larger than its limit, with a key twice,
 * or more batches in flight than allowed.
 */

const batches = vi.hoisted(() => ({
  seen: [] as WriteRequest[][],
  inFlight: 0,
  inFlightMax: 0,
}));

vi.mock('../src/apply-batch', async () => {
  const plan = await import('../src/batch/plan');
  return {
    applyWriteBatch: async (_db: unknown, requests: readonly WriteRequest[]) => {
      plan.assertDistinctKeys(requests); // the real applyWriteBatch asserts the same
      batches.seen.push([...requests]);
      batches.inFlight++;
      batches.inFlightMax = Math.max(batches.inFlightMax, batches.inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      batches.inFlight--;
      // Each request's own outcome: the request itself, so its caller can recognise it.
      return requests.map((request): WriteOutcome => ({
        ok: true,
        value: request as unknown as WriteResult,
      }));
    },
  };
});

// Never read: applyWriteBatch, which alone would use it, is the recorder above.
const db = Object.create(null) as Db;

/** What a lock is taken on, in the order a batch takes them: keys, then wallets. */
function lockSequence(requests: readonly WriteRequest[]): string[] {
  const { claims, walletIds } = lockOrderOf(requests);
  return [
    ...claims.map((claim) => `key:${claim.owner} ${claim.key}`),
    ...walletIds.map((id) => `wallet:${id}`),
  ];
}

describe('lockOrderOf', () => {
  it('claims every key and locks every wallet once, each sorted, whatever the order of the requests', () => {
    fc.assert(
      fc.property(
        batchCase.chain(({ requests }) =>
          fc.tuple(
            fc.constant(requests),
            fc.shuffledSubarray(requests, { minLength: requests.length }),
          ),
        ),
        ([requests, shuffled]) => {
          const { claims, walletIds, externalFor } = lockOrderOf(requests);
          expect(lockOrderOf(shuffled)).toEqual({ claims, walletIds, externalFor });
          expect(externalFor).toEqual(
            [...new Set(requests.flatMap(externalAccountWalletIdsOf))].sort(compareText),
          );
          expect(walletIds).toEqual([...new Set(requests.flatMap(walletIdsOf))].sort(compareText));
          const keyed = requests.filter((request) => request.idempotency !== null);
          expect(claims.map((claim) => `${claim.owner} ${claim.key}`)).toEqual(
            keyed.map((r) => `${r.idempotency?.owner} ${r.idempotency?.key}`).sort(compareText),
          );
          for (const request of keyed) {
            expect(claims).toContainEqual({
              owner: request.idempotency?.owner,
              key: request.idempotency?.key,
              operation: request.kind,
              fingerprint: request.idempotency?.fingerprint,
              transaction_id: transactionIdOf(request),
            });
          }
        },
      ),
    );
  });

  it('never lets two batches wait on each other: what both lock, both lock in the same order', () => {
    fc.assert(
      fc.property(batchCase, batchCase, ({ requests: a }, { requests: b }) => {
        const first = lockSequence(a);
        const second = lockSequence(b);
        const common = (sequence: string[], other: string[]) =>
          sequence.filter((item) => other.includes(item));
        expect(common(first, second)).toEqual(common(second, first));
      }),
    );
  });

  it("sorts in byte order: keys are printable ASCII, ids lower-case UUIDs (PostgreSQL's uuid order)", () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
    });
    const uuid = fc.uuid();
    fc.assert(
      fc.property(fc.oneof(fc.tuple(printable, printable), fc.tuple(uuid, uuid)), ([a, b]) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(compareText(a, b)).toBe(bytes);
        expect(compareText(b, a)).toBe(-bytes);
      }),
    );
  });

  it('locks ids in the case PostgreSQL returns them: lower case, whatever case the client sent', () => {
    const anyCase = fc
      .tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
      .map(([id, upper]) => Array.from(id, (c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
    fc.assert(
      fc.property(anyCase, anyCase, (sender, receiver) => {
        fc.pre(sender.toLowerCase() !== receiver.toLowerCase());
        const funding = prepareFunding({ walletId: sender, amount: '1' });
        const transfer = prepareTransfer({
          senderWalletId: sender,
          receiverWalletId: receiver,
          amount: '1',
        });
        const ids = lockOrderOf([funding, transfer]).walletIds;
        expect(ids).toEqual([sender.toLowerCase(), receiver.toLowerCase()].sort(compareText));
      }),
    );
  });
});

/** Requests submitted in waves (one turn of the event loop each), some sharing a key. */
const waves = fc.array(
  fc.array(fc.option(fc.constantFrom('k1', 'k2', 'k3'), { freq: 2 }), {
    minLength: 1,
    maxLength: 12,
  }),
  { minLength: 1, maxLength: 5 },
);
const limits = fc.record({
  batchSizeMax: fc.integer({ min: 1, max: 8 }),
  concurrentBatchesMax: fc.integer({ min: 1, max: 3 }),
});

function keyedFunding(index: number, key: string | null): WriteRequest {
  const request = prepareFunding({ walletId: crypto.randomUUID(), amount: String(index + 1) });
  // Two owners alternate: the same key string of two owners is two keys, batched freely.
  const owner = index % 2 === 0 ? 'owner-a' : 'owner-b';
  const idempotency = key === null ? null : { owner, key, fingerprint: `fp-${index}` };
  return { ...request, idempotency };
}

describe('the group committer', () => {
  it('keeps every batch within its size, each key once per batch, and in-flight batches within the limit', async () => {
    await fc.assert(
      fc.asyncProperty(limits, waves, async (options, keysByWave) => {
        batches.seen = [];
        batches.inFlightMax = 0;
        const committer = createGroupCommitter(db, {
          ...options,
          queuedMax: 1_000,
          batchDeadlineMs: 5_000,
        });
        const submitted: WriteRequest[] = [];
        const answers: Promise<unknown>[] = [];
        for (const keys of keysByWave) {
          for (const key of keys) {
            const request = keyedFunding(submitted.length, key);
            submitted.push(request);
            answers.push(committer.submit(request));
          }
          await new Promise((resolve) => setImmediate(resolve));
        }
        // Each caller gets its own request's outcome.
        expect(await Promise.all(answers)).toEqual(submitted);
        expect(batches.inFlightMax).toBeLessThanOrEqual(options.concurrentBatchesMax);
        for (const batch of batches.seen) {
          expect(batch.length).toBeGreaterThanOrEqual(1);
          expect(batch.length).toBeLessThanOrEqual(options.batchSizeMax);
          expect(() => {
            assertDistinctKeys(batch);
          }).not.toThrow();
        }
        const order = batches.seen.flat();
        expect([...order].sort(byIndex(submitted))).toEqual(submitted); // each exactly once
        // Keyless requests keep their arrival order; a key's uses go in arrival order, each
        // in a later batch than the one before (it meets the committed first use).
        const keyless = submitted.filter((r) => r.idempotency === null);
        expect(order.filter((r) => r.idempotency === null)).toEqual(keyless);
        const batchOf = (request: WriteRequest) =>
          batches.seen.findIndex((batch) => batch.includes(request));
        for (const key of ['k1', 'k2', 'k3'].flatMap((k) => [`owner-a ${k}`, `owner-b ${k}`])) {
          const uses = submitted.filter((r) => claimedKeyOf(r) === key).map(batchOf);
          uses.slice(1).forEach((batch, i) => {
            expect(batch).toBeGreaterThan(uses[i] ?? -1);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses as busy, at once, every write past queuedMax', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        async (queuedMax, extra) => {
          const committer = createGroupCommitter(db, {
            batchSizeMax: 1,
            concurrentBatchesMax: 1,
            queuedMax,
            batchDeadlineMs: 5_000,
          });
          const answers = Array.from({ length: queuedMax + extra }, (_, i) =>
            committer.submit(keyedFunding(i, null)).then(
              () => 'applied',
              (error: unknown) => error,
            ),
          );
          // Submitted in one turn: the queue fills before the first batch takes from it.
          const outcomes = await Promise.all(answers);
          expect(outcomes.filter((o) => o === 'applied')).toHaveLength(queuedMax);
          for (const refused of outcomes.slice(queuedMax))
            expect(refused).toBeInstanceOf(LedgerBusyError);
        },
      ),
      { numRuns: 30 },
    );
  });
});

function byIndex(submitted: readonly WriteRequest[]) {
  return (a: WriteRequest, b: WriteRequest) => submitted.indexOf(a) - submitted.indexOf(b);
}
