import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import postgres from 'postgres';

import { migrateDatabase, startEmbeddedPostgres } from '@wallet/db';

/**
 * Test databases on a real PostgreSQL: a server (the one TEST_DATABASE_URL names, or an
 * embedded one in a temporary folder), one migrated template per test run, and a fresh
 * clone of it for every test file, so files run in parallel without sharing rows.
 */

export interface TestDatabaseServer {
  adminUrl: string;
  templateName: string;
  stop(): Promise<void>;
}

export async function startTestDatabaseServer(serverUrl?: string): Promise<TestDatabaseServer> {
  const server = serverUrl ? undefined : await startTemporaryServer();
  const adminUrl = serverUrl ?? server?.adminUrl;
  if (!adminUrl) throw new Error('no test database server');
  const templateName = `wallet_template_${randomBytes(4).toString('hex')}`;
  await createDatabase(adminUrl, templateName);
  await migrateDatabase(withDatabase(adminUrl, templateName));
  return {
    adminUrl,
    templateName,
    stop: async () => {
      if (server) return server.stop();
      await dropDatabase(adminUrl, templateName);
    },
  };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const CLONE_ATTEMPTS_MAX = 20;

/** A fresh, migrated database cloned from the template. */
export async function createTestDatabase(
  server: Pick<TestDatabaseServer, 'adminUrl' | 'templateName'>,
): Promise<TestDatabase> {
  const name = `wallet_test_${randomBytes(6).toString('hex')}`;
  await createDatabase(server.adminUrl, name, server.templateName);
  return {
    url: withDatabase(server.adminUrl, name),
    drop: () => dropDatabase(server.adminUrl, name),
  };
}

async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const from = template ? ` TEMPLATE "${template}"` : '';
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"${from}`);
        return;
      } catch (error) {
        // 55006: another clone is reading the template right now; take turns.
        const busy = (error as { code?: string }).code === '55006';
        if (!busy || attempt >= CLONE_ATTEMPTS_MAX) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function startTemporaryServer() {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-test-'));
  await chmod(folder, 0o755); // the postgres system user must reach it when we are root
  const server = await startEmbeddedPostgres({
    dataDir: path.join(folder, 'data'),
    port: await freePort(),
  });
  return {
    adminUrl: server.adminUrl,
    stop: async () => {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now, from the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Makes a database look as if its latest migration had never run, by deleting the
 * migrator's record of it (the schema stays): for tests of readiness checks.
 */
export async function forgetLatestMigration(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await client`DELETE FROM drizzle.__drizzle_migrations
      WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
