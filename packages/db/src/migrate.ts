import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sql } from 'drizzle-orm';

import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

import type { Db } from './client';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/** Any constant will do; it only has to be the same for every process of this service. */
const MIGRATION_LOCK_ID = 7_340_215_001;

/**
 * Applies the committed migrations. Several processes may start at once: an advisory
 * lock on the migrating connection lets one migrate while the others wait, then find
 * nothing left to do.
 */
export async function migrateDatabase(
  url: string,
  /** Another folder of migrations (tests of one migration's upgrade); the committed one by default. */
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await client`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => undefined);
    await client.end({ timeout: 5 });
  }
}

interface Journal {
  entries: { tag: string; when: number }[];
}

export interface MigrationStatus {
  /** Committed migrations not applied to this database, by tag; empty when up to date. */
  pending: string[];
}

/**
 * Compares the committed journal with what Drizzle's migrator recorded in this database
 * (it stores each migration's journal time as created_at). Rejects when the database
 * does not answer.
 */
export async function readMigrationStatus(db: Db): Promise<MigrationStatus> {
  const journal = JSON.parse(
    await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  const applied = await db
    .execute<{ created_at: string }>(sql`SELECT created_at::text FROM drizzle.__drizzle_migrations`)
    .catch((error: unknown) => {
      // 42P01: no migration was ever applied here (the table does not exist).
      if ((error as { cause?: { code?: string } }).cause?.code === '42P01') return [];
      throw error;
    });
  const appliedTimes = new Set(Array.from(applied, (row) => Number(row.created_at)));
  return { pending: journal.entries.filter((e) => !appliedTimes.has(e.when)).map((e) => e.tag) };
}
