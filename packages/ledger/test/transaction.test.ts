import { createDatabase, schema, statementsOn } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it, inject } from 'vitest';

import { applyWriteBatch } from '../src/apply-batch';
import { prepareFunding } from '../src/funding';
import { inPipelinedTransaction } from '../src/transaction';
import { prepareTransfer } from '../src/transfers';

const { wallets } = schema;

// One connection: a transaction left open would show in the next test, not hide in a pool.
const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
const sent: { connectionId: number; text: string }[] = [];
const database = createDatabase(testDatabase.url, {
  poolMax: 1,
  onStatement: (connectionId, text) => sent.push({ connectionId, text }),
});
const { db } = database;
afterAll(async () => {
  await database.close();
  await testDatabase.drop();
});

beforeEach(async () => {
  await db.execute(sql`SELECT 1`); // postgres.js's own first queries on a new connection
  sent.length = 0;
});

const newWalletId = () => crypto.randomUUID();

async function walletExists(id: string): Promise<boolean> {
  const rows = await db.select({ id: wallets.id }).from(wallets).where(eq(wallets.id, id));
  return rows.length === 1;
}

/** Whether the pool's connection is inside a transaction block right now. */
async function inTransactionBlock(): Promise<boolean> {
  // now() is the transaction's start: in a block opened earlier it differs from the statement's.
  const [row] = await db.execute<{ open: boolean }>(
    sql`SELECT now() <> statement_timestamp() AS open`,
  );
  return row?.open ?? false;
}

const words = (text: string) => text.trim().split(/\s+/)[0]?.toUpperCase();

describe('a pipelined transaction', () => {
  it('sends BEGIN with its first statements and COMMIT right behind its last, in order', async () => {
    const first = newWalletId();
    const second = newWalletId();
    const found = await inPipelinedTransaction(db, 'write', async (tx, commit) => {
      await tx.insert(wallets).values({ id: first, currency: 'USD' });
      // A lazy Drizzle query and an eager one (.execute()): the eager one goes out as it
      // is made, the lazy one when commit subscribes to it; both before the COMMIT.
      return commit(() => [
        tx.insert(wallets).values({ id: second, currency: 'EUR' }).returning(),
        tx.select({ id: wallets.id }).from(wallets).where(eq(wallets.id, first)).execute(),
      ]);
    });
    expect(found[0]).toEqual([expect.objectContaining({ id: second, currency: 'EUR' })]);
    expect(found[1]).toEqual([{ id: first }]);
    expect(sent.map((statement) => words(statement.text))).toEqual([
      'BEGIN',
      'INSERT',
      'SELECT',
      'INSERT',
      'COMMIT',
    ]);
    expect(new Set(sent.map((statement) => statement.connectionId)).size).toBe(1);
    expect(await walletExists(first)).toBe(true);
    expect(await walletExists(second)).toBe(true);
  });

  it('commits nothing when a statement sent with the COMMIT fails', async () => {
    const first = newWalletId();
    const second = newWalletId();
    await expect(
      inPipelinedTransaction(db, 'write', async (tx, commit) => {
        await tx.insert(wallets).values({ id: first, currency: 'USD' });
        return commit(() => [
          tx.insert(wallets).values({ id: second, currency: 'USD' }).execute(),
          // The same id again: a unique violation in PostgreSQL, behind a good statement.
          tx.insert(wallets).values({ id: first, currency: 'USD' }).execute(),
        ]);
      }),
    ).rejects.toThrow();
    expect(await walletExists(first)).toBe(false);
    expect(await walletExists(second)).toBe(false);
    expect(await inTransactionBlock()).toBe(false);
  });

  it('rolls back when the work fails before its COMMIT, and leaves the connection clean', async () => {
    const id = newWalletId();
    await expect(
      inPipelinedTransaction(db, 'write', async (tx) => {
        await tx.insert(wallets).values({ id, currency: 'USD' });
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(sent.map((statement) => words(statement.text))).toEqual(['BEGIN', 'INSERT', 'ROLLBACK']);
    expect(await inTransactionBlock()).toBe(false);
    expect(await walletExists(id)).toBe(false);
  });

  it('sends no COMMIT when its last statements cannot be made', async () => {
    const id = newWalletId();
    await expect(
      inPipelinedTransaction(db, 'write', async (tx, commit) => {
        await tx.insert(wallets).values({ id, currency: 'USD' });
        return commit(() => {
          throw new Error('a statement could not be made');
        });
      }),
    ).rejects.toThrow('a statement could not be made');
    expect(sent.map((statement) => words(statement.text))).not.toContain('COMMIT');
    expect(await walletExists(id)).toBe(false);
  });

  it('refuses work that returns without committing, and rolls it back', async () => {
    const id = newWalletId();
    await expect(
      inPipelinedTransaction(db, 'write', async (tx) => {
        await tx.insert(wallets).values({ id, currency: 'USD' });
      }),
    ).rejects.toThrow(/was committed/);
    expect(await walletExists(id)).toBe(false);
    expect(await inTransactionBlock()).toBe(false);
  });

  it('runs a statement made once on the transaction’s own connection, and nowhere else', async () => {
    const walletById = statementsOn(db, (statements) =>
      statements
        .select({ id: wallets.id })
        .from(wallets)
        .where(eq(wallets.id, sql.placeholder('id')))
        .prepare('test_wallet_by_id'),
    );
    const id = newWalletId();
    const [seen] = await inPipelinedTransaction(db, 'write', async (tx, commit, run) => {
      await tx.insert(wallets).values({ id, currency: 'USD' });
      // Its own uncommitted row: only this transaction's connection can see it.
      return commit(() => [run(walletById, { id })]);
    });
    expect(seen).toEqual([{ id }]);
    // Drizzle wraps the refusal ("Failed query: …"); its cause says why.
    const refusal = await walletById.execute({ id }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(Error);
    expect(String((refusal as Error).cause)).toMatch(/run\(\) only/);
  });

  it('reads in one snapshot that refuses writes', async () => {
    const id = newWalletId();
    await expect(
      inPipelinedTransaction(db, 'snapshot read', async (tx, commit) =>
        commit(() => [tx.insert(wallets).values({ id, currency: 'USD' }).execute()]),
      ),
    ).rejects.toThrow();
    expect(await walletExists(id)).toBe(false);
    const [rows] = await inPipelinedTransaction(db, 'snapshot read', async (tx, commit) =>
      commit(() => [
        tx.execute<{ transaction_isolation: string }>(sql`SHOW transaction_isolation`).execute(),
      ]),
    );
    expect([...rows]).toEqual([{ transaction_isolation: 'repeatable read' }]);
  });
});

/** A statement as "VERB table": enough to see what went out in which order. */
function labelOf(text: string): string {
  const verb = words(text) ?? '';
  const table = /(?:insert into|update|from)\s+"([a-z_]+)"/i.exec(text)?.[1];
  return table ? `${verb} ${table}` : verb;
}

describe('a batch of writes on the wire', () => {
  it('is BEGIN, claims, locks; then audit rows, entries, balances, events and COMMIT', async () => {
    const [first, second] = [newWalletId(), newWalletId()];
    await db.insert(wallets).values([
      { id: first, currency: 'USD' },
      { id: second, currency: 'USD' },
    ]);
    const context = { actor: 'system', requestId: 'wire-order' };
    await applyWriteBatch(db, [prepareFunding({ walletId: first, amount: '10' }, context)]);
    sent.length = 0;
    const outcomes = await applyWriteBatch(db, [
      prepareTransfer(
        { senderWalletId: first, receiverWalletId: second, amount: '1', idempotencyKey: 'w-1' },
        context,
      ),
      prepareTransfer(
        { senderWalletId: first, receiverWalletId: second, amount: '2', idempotencyKey: 'w-2' },
        context,
      ),
    ]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(sent.map((statement) => labelOf(statement.text))).toEqual([
      'BEGIN',
      'INSERT idempotency_keys',
      'SELECT wallets',
      'INSERT audit_log',
      'INSERT ledger_entries',
      'UPDATE wallets',
      'INSERT ledger_events',
      'COMMIT',
    ]);
  });
});
