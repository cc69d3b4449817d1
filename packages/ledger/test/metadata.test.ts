import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import {
  createLedger,
  DuplicateIdempotencyKeyError,
  InvalidInputError,
  type BatchReport,
} from '../src';
import { expectRefusedBy, useTestLedger } from './support';

/**
 * Metadata on every write: stored with the transaction (each of its entries, or the hold),
 * returned on every read, part of the idempotency comparison, filterable, carried by the
 * events; the database refuses what is not a flat object of strings.
 */
const { ledger, db } = await useTestLedger();

async function fundedWallet(amount = 100) {
  const { id } = await ledger.createWallet({});
  if (amount > 0) await ledger.fundWallet({ walletId: id, amount });
  return id;
}

async function eventOf(transactionId: string) {
  const rows = await db.execute<{ type: string; payload: { metadata?: unknown } }>(
    sql`SELECT type, payload FROM ledger_events WHERE transaction_id = ${transactionId}`,
  );
  return rows[0];
}

describe('metadata on each write kind', () => {
  it('stores and returns a funding, withdrawal and transfer its metadata', async () => {
    const walletId = await fundedWallet();
    const otherId = await fundedWallet(0);
    const funded = await ledger.fundWallet({ walletId, amount: 5, metadata: { order: 'A-1' } });
    expect(funded.entry.metadata).toEqual({ order: 'A-1' });
    const withdrawn = await ledger.withdrawFunds({
      walletId,
      amount: 1,
      metadata: { payout: 'P' },
    });
    const { transferId } = await ledger.transferFunds({
      senderWalletId: walletId,
      receiverWalletId: otherId,
      amount: 2,
      metadata: { invoice: 'I-9', note: 'ünïcødé' },
    });
    const detail = await ledger.getTransaction({ transactionId: transferId });
    expect(detail.metadata).toEqual({ invoice: 'I-9', note: 'ünïcødé' });
    expect(detail.legs.map((leg) => leg.metadata)).toEqual([detail.metadata, detail.metadata]);
    expect((await ledger.getTransaction({ transactionId: withdrawn.entry.id })).metadata).toEqual({
      payout: 'P',
    });
    const history = await ledger.listTransactions({ walletId });
    expect(history.items.map((entry) => entry.metadata)).toEqual([
      { invoice: 'I-9', note: 'ünïcødé' },
      { payout: 'P' },
      { order: 'A-1' },
      {},
    ]);
    expect((await eventOf(transferId))?.payload.metadata).toEqual(detail.metadata);
    expect((await eventOf(funded.entry.id))?.payload.metadata).toEqual({ order: 'A-1' });
  });

  it('stores a hold its placement metadata and its capture the capture metadata', async () => {
    const walletId = await fundedWallet();
    const receiverWalletId = await fundedWallet(0);
    const placed = await ledger.placeHold({
      walletId,
      receiverWalletId,
      amount: 10,
      metadata: { booking: 'B-1' },
    });
    expect(placed.hold.metadata).toEqual({ booking: 'B-1' });
    expect((await ledger.getHold({ holdId: placed.hold.id })).metadata).toEqual({ booking: 'B-1' });
    const captured = await ledger.captureHold({
      holdId: placed.hold.id,
      amount: 4,
      metadata: { settlement: 'S-1' },
    });
    const detail = await ledger.getTransaction({ transactionId: captured.transactionId });
    expect(detail.metadata).toEqual({ settlement: 'S-1' });
    expect(captured.hold.metadata).toEqual({ booking: 'B-1' });
    expect((await eventOf(captured.transactionId))?.payload.metadata).toEqual({
      settlement: 'S-1',
    });
    expect((await eventOf(placed.hold.id))?.payload.metadata).toEqual({ booking: 'B-1' });
  });

  it('stores a reversal its own metadata', async () => {
    const walletId = await fundedWallet();
    const funded = await ledger.fundWallet({ walletId, amount: 5, metadata: { order: 'R-1' } });
    const reversal = await ledger.reverseTransaction({
      transactionId: funded.entry.id,
      metadata: { reason: 'refund' },
    });
    const detail = await ledger.getTransaction({ transactionId: reversal.reversalId });
    expect(detail.metadata).toEqual({ reason: 'refund' });
    expect((await ledger.getTransaction({ transactionId: funded.entry.id })).metadata).toEqual({
      order: 'R-1',
    });
  });

  it('keeps each write its own metadata in a batch of mixed writes', async () => {
    const batches: BatchReport[] = [];
    const batched = createLedger(db, {
      observer: { readRouted: () => undefined, batchApplied: (report) => batches.push(report) },
    });
    const walletId = await fundedWallet();
    const otherId = await fundedWallet();
    const { hold } = await batched.placeHold({ walletId, amount: 5 });
    batches.length = 0;
    const [funded, withdrawn, transferred, captured, placed] = await Promise.all([
      batched.fundWallet({ walletId, amount: 1, metadata: { n: 'fund' } }),
      batched.withdrawFunds({ walletId: otherId, amount: 1, metadata: { n: 'withdraw' } }),
      batched.transferFunds({
        senderWalletId: otherId,
        receiverWalletId: walletId,
        amount: 1,
        metadata: { n: 'transfer' },
      }),
      batched.captureHold({ holdId: hold.id, metadata: { n: 'capture' } }),
      batched.placeHold({ walletId: otherId, amount: 1, metadata: { n: 'hold' } }),
    ]);
    // Submitted together, they share batches (at least one held more than one write).
    expect(Math.max(...batches.map((batch) => batch.size))).toBeGreaterThan(1);
    const ids = [
      funded.entry.id,
      withdrawn.entry.id,
      transferred.transferId,
      captured.transactionId,
    ];
    const details = await Promise.all(
      ids.map((transactionId) => ledger.getTransaction({ transactionId })),
    );
    expect(details.map((detail) => detail.metadata.n)).toEqual([
      'fund',
      'withdraw',
      'transfer',
      'capture',
    ]);
    expect((await ledger.getHold({ holdId: placed.hold.id })).metadata).toEqual({ n: 'hold' });
  });

  it('stores {} when a write carries none, and refuses metadata the contract does not admit', async () => {
    const walletId = await fundedWallet(0);
    const { entry } = await ledger.fundWallet({ walletId, amount: 1 });
    expect(entry.metadata).toEqual({});
    for (const metadata of [{ n: 1 }, { nested: { a: 'b' } }, ['a'], 'text']) {
      await expect(
        ledger.fundWallet({ walletId, amount: 1, metadata: metadata as never }),
      ).rejects.toThrow(InvalidInputError);
    }
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    await expect(ledger.fundWallet({ walletId, amount: 1, metadata: many })).rejects.toThrow(
      InvalidInputError,
    );
  });
});

describe('idempotency with metadata', () => {
  it('answers a retry with the same metadata (in any key order) and refuses other metadata', async () => {
    const walletId = await fundedWallet(0);
    const first = { walletId, amount: 3, idempotencyKey: 'meta-1', metadata: { a: '1', b: '2' } };
    const { entry } = await ledger.fundWallet(first);
    const retry = await ledger
      .fundWallet({ ...first, metadata: { b: '2', a: '1' } })
      .catch((error: unknown) => error);
    expect(retry).toBeInstanceOf(DuplicateIdempotencyKeyError);
    expect(retry).toMatchObject({ sameRequest: true, originalTransactionId: entry.id });
    const others: (Record<string, string> | undefined)[] = [
      { a: '1', b: '3' },
      { a: '1' },
      undefined,
    ];
    for (const metadata of others) {
      const other = await ledger
        .fundWallet({ ...first, metadata })
        .catch((error: unknown) => error);
      expect(other).toBeInstanceOf(DuplicateIdempotencyKeyError);
      expect(other).toMatchObject({ sameRequest: false });
    }
    expect((await ledger.listTransactions({ walletId })).items).toHaveLength(1);
  });

  it('refuses a capture retried with other metadata as a different request', async () => {
    const walletId = await fundedWallet();
    const { hold } = await ledger.placeHold({ walletId, amount: 5 });
    await ledger.captureHold({ holdId: hold.id, idempotencyKey: 'cap-1', metadata: { x: '1' } });
    const other = await ledger
      .captureHold({ holdId: hold.id, idempotencyKey: 'cap-1', metadata: { x: '2' } })
      .catch((error: unknown) => error);
    expect(other).toMatchObject({ code: 'DUPLICATE_IDEMPOTENCY_KEY', sameRequest: false });
  });
});

describe('the history metadata filter', () => {
  it('finds exactly the entries whose metadata holds every pair', async () => {
    const walletId = await fundedWallet();
    const otherId = await fundedWallet(0);
    await ledger.fundWallet({ walletId, amount: 1, metadata: { order: 'A', shop: 'north' } });
    await ledger.fundWallet({ walletId, amount: 2, metadata: { order: 'B', shop: 'north' } });
    await ledger.fundWallet({ walletId, amount: 3, metadata: { order: 'A' } });
    // Another wallet's entry with the same metadata is not this wallet's history.
    await ledger.fundWallet({ walletId: otherId, amount: 4, metadata: { order: 'A' } });
    const amounts = async (metadata: Record<string, string>) =>
      (await ledger.listTransactions({ walletId, metadata })).items.map((e) => e.amountMinor);
    expect(await amounts({ order: 'A' })).toEqual([300n, 100n]);
    expect(await amounts({ shop: 'north' })).toEqual([200n, 100n]);
    expect(await amounts({ order: 'A', shop: 'north' })).toEqual([100n]);
    expect(await amounts({ order: 'C' })).toEqual([]);
    const paged = await ledger.listTransactions({ walletId, metadata: { order: 'A' }, limit: 1 });
    expect(paged.items.map((entry) => entry.amountMinor)).toEqual([300n]);
    const rest = await ledger.listTransactions({
      walletId,
      metadata: { order: 'A' },
      cursor: paged.nextCursor ?? '',
    });
    expect(rest.items.map((entry) => entry.amountMinor)).toEqual([100n]);
    await expect(ledger.listTransactions({ walletId, metadata: {} })).rejects.toThrow(
      InvalidInputError,
    );
  });

  it('is served by the metadata index', async () => {
    const plan = await db.transaction(async (tx) => {
      // The test database is small: without this the planner reads the table instead.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return tx.execute<{ 'QUERY PLAN': string }>(sql`
        EXPLAIN (COSTS OFF) SELECT id FROM ledger_entries
         WHERE metadata @> '{"order":"A"}'::jsonb AND metadata <> '{}'::jsonb`);
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(
      'ledger_entries_metadata_idx',
    );
  });
});

describe('the database guards metadata', () => {
  const refused = ['"text"', '[1]', '{"n": 1}', '{"a": {"b": "c"}}', '{"n": null}'];

  it('refuses an entry whose metadata is not a flat object of strings (raw SQL)', async () => {
    const walletId = await fundedWallet();
    const oversized = JSON.stringify({ k: 'x'.repeat(70_000) });
    for (const metadata of [...refused, oversized]) {
      // A copy of an entry with other metadata: the CHECK runs before the unique indexes.
      await expectRefusedBy(
        db.execute(sql`
          INSERT INTO ledger_entries (id, wallet_id, sequence, previous_sequence, type,
            amount_minor, balance_before_minor, balance_after_minor, metadata)
          SELECT gen_random_uuid(), wallet_id, sequence, previous_sequence, type, amount_minor,
            balance_before_minor, balance_after_minor, ${metadata}::jsonb
            FROM ledger_entries WHERE wallet_id = ${walletId}`),
        'ledger_entries_metadata_shape',
        'exact',
      );
    }
  });

  it("refuses a hold whose metadata is not a flat object, and a change of a hold's metadata", async () => {
    const walletId = await fundedWallet();
    for (const metadata of refused) {
      await expectRefusedBy(
        db.execute(sql`INSERT INTO holds (id, wallet_id, amount_minor, metadata)
          VALUES (gen_random_uuid(), ${walletId}, 1, ${metadata}::jsonb)`),
        'holds_metadata_shape',
        'exact',
      );
    }
    const { hold } = await ledger.placeHold({ walletId, amount: 1, metadata: { a: 'b' } });
    await expectRefusedBy(
      db.execute(sql`UPDATE holds SET metadata = '{"a": "c"}'::jsonb WHERE id = ${hold.id}`),
      'holds_terms_fixed',
    );
  });
});
