import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { createDatabase, migrateDatabase, MIGRATIONS_FOLDER } from '@wallet/db';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { createLedger, externalAccountIdOf } from '../src';

/**
 * Migration 0006 on a database that lived before it: migrations up to 0005 applied to an
 * empty database, old-style data written (fundings from nowhere, transfers), then the
 * committed folder applied. The backfill must give every currency's fundings their
 * counter-entries, chained, so the whole ledger sums to zero and verifies clean.
 */

const server = inject('testDatabaseServer');
const admin = createDatabase(server.adminUrl, { poolMax: 1 });
const name = `wallet_upgrade_${uuidv7().replaceAll('-', '').slice(-12)}`;
const folder = await mkdtemp(path.join(tmpdir(), 'migrations-0005-'));
afterAll(async () => {
  await admin.db.execute(sql.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  await admin.close();
  await rm(folder, { recursive: true, force: true });
});

/** The committed migrations as they were before 0006: its journal cut after 0005. */
async function migrationsUpTo0005(): Promise<string> {
  await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as {
    entries: { idx: number }[];
  };
  journal.entries = journal.entries.filter((entry) => entry.idx <= 5);
  await writeFile(journalPath, JSON.stringify(journal));
  return folder;
}

/** Three wallets before 0006: two in USD, one in JPY (their entries below). */
const oldWallets = sql`
  WITH w(id, currency) AS (VALUES
    ('01900000-0000-7000-8000-00000000000a'::uuid, 'USD'), ('01900000-0000-7000-8000-00000000000b'::uuid, 'USD'),
    ('01900000-0000-7000-8000-00000000000c'::uuid, 'JPY'))
  INSERT INTO wallets (id, currency) SELECT id, currency FROM w`;

describe('migration 0006 (external accounts) on an existing ledger', () => {
  it('backfills the counter-entries of old fundings: chains intact, every currency sums to zero', async () => {
    // The test template is fully migrated: this database starts empty, and stops at 0005.
    await admin.db.execute(sql.raw(`CREATE DATABASE "${name}"`));
    const url = new URL(server.adminUrl);
    url.pathname = `/${name}`;
    await migrateDatabase(url.toString(), await migrationsUpTo0005());
    const old = createDatabase(url.toString(), { poolMax: 2 });
    try {
      await old.db.execute(oldWallets);
      await old.db.execute(sql`
        INSERT INTO ledger_entries (id, wallet_id, sequence, previous_sequence, type, amount_minor,
            balance_before_minor, balance_after_minor, counterparty_wallet_id, transfer_id, created_at)
        VALUES
          ('01900000-0000-7000-8000-0000000000a1', '01900000-0000-7000-8000-00000000000a', 1, NULL, 'FUND', 1000, 0, 1000, NULL, NULL, '2025-01-01'),
          ('01900000-0000-7000-8000-0000000000b1', '01900000-0000-7000-8000-00000000000b', 1, NULL, 'FUND', 250, 0, 250, NULL, NULL, '2025-01-02'),
          ('01900000-0000-7000-8000-0000000000a2', '01900000-0000-7000-8000-00000000000a', 2, 1, 'TRANSFER_OUT', 300, 1000, 700, '01900000-0000-7000-8000-00000000000b', '01900000-0000-7000-8000-0000000000f1', '2025-01-03'),
          ('01900000-0000-7000-8000-0000000000b2', '01900000-0000-7000-8000-00000000000b', 2, 1, 'TRANSFER_IN', 300, 250, 550, '01900000-0000-7000-8000-00000000000a', '01900000-0000-7000-8000-0000000000f1', '2025-01-03'),
          ('01900000-0000-7000-8000-0000000000a3', '01900000-0000-7000-8000-00000000000a', 3, 2, 'FUND', 5, 700, 705, NULL, NULL, '2025-01-04'),
          ('01900000-0000-7000-8000-0000000000c1', '01900000-0000-7000-8000-00000000000c', 1, NULL, 'FUND', 9000, 0, 9000, NULL, NULL, '2025-01-01')`);
      await old.db.execute(sql`
        UPDATE wallets SET balance_minor = v.balance, last_entry_sequence = v.sequence
          FROM (VALUES ('01900000-0000-7000-8000-00000000000a'::uuid, 705, 3),
                       ('01900000-0000-7000-8000-00000000000b'::uuid, 550, 2),
                       ('01900000-0000-7000-8000-00000000000c'::uuid, 9000, 1)) AS v(id, balance, sequence)
         WHERE wallets.id = v.id`);
    } finally {
      await old.close();
    }

    await migrateDatabase(url.toString());
    const upgraded = createDatabase(url.toString(), { poolMax: 4 });
    try {
      const ledger = createLedger(upgraded.db);
      const report = await ledger.verify();
      expect(report.violations).toEqual([]);
      expect(report.walletCount).toBe(3);
      const externals = (await upgraded.db.execute(sql`
        SELECT currency, balance_minor::text AS balance, last_entry_sequence::text AS sequence
          FROM wallets WHERE kind = 'EXTERNAL' AND last_entry_sequence IS NOT NULL ORDER BY currency`)) as unknown as {
        currency: string;
        balance: string;
        sequence: string;
      }[];
      expect(externals.map((row) => [row.currency, row.balance, row.sequence])).toEqual([
        ['JPY', '-9000', '1'],
        ['USD', '-1255', '3'],
      ]);
      // The USD chain follows the fundings' order: 1000, 250, then 5.
      const usd = (await upgraded.db.execute(sql`
        SELECT sequence, balance_after_minor::text AS after, transfer_id FROM ledger_entries
         WHERE wallet_id = ${externalAccountIdOf('USD')} ORDER BY sequence`)) as unknown as {
        after: string;
        transfer_id: string;
      }[];
      expect(usd.map((row) => [row.after, row.transfer_id])).toEqual([
        ['-1000', '01900000-0000-7000-8000-0000000000a1'],
        ['-1250', '01900000-0000-7000-8000-0000000000b1'],
        ['-1255', '01900000-0000-7000-8000-0000000000a3'],
      ]);
      // And the upgraded ledger goes on: a funding and a withdrawal chain after the backfill.
      const walletId = '01900000-0000-7000-8000-00000000000a';
      await ledger.fundWallet({ walletId, amount: 1 });
      await ledger.withdrawFunds({ walletId, amount: 7.05 });
      expect((await ledger.verify()).violations).toEqual([]);
    } finally {
      await upgraded.close();
    }
  });
});
