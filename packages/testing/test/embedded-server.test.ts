import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

import { openDatabase, schema, startEmbeddedPostgres } from '@wallet/db';

import { freePort } from '../src/database';

const folder = await mkdtemp(path.join(tmpdir(), 'wallet-embedded-'));
await chmod(folder, 0o755);
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('the embedded default database', () => {
  it('starts, migrates, stops, and keeps its data for the next run', async () => {
    const dataDir = path.join(folder, 'data');
    const port = await freePort();
    const logs: string[] = [];
    const first = await openDatabase({
      embedded: { dataDir, port },
      log: (line) => logs.push(line),
    });
    expect(first.embeddedDataDir).toBe(dataDir);
    expect(logs.join('\n')).toContain(dataDir);
    await first.db.insert(schema.wallets).values({
      id: '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b',
      currency: 'USD',
    });
    await first.close();

    const second = await openDatabase({ embedded: { dataDir, port } });
    // The clients' wallets: the migrations also made each currency's external account.
    const rows = await second.db
      .select()
      .from(schema.wallets)
      .where(eq(schema.wallets.kind, 'USER'));
    expect(rows.map((row) => row.id)).toEqual(['0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b']);
    await second.close();
  });

  it('uses the server a URL names and starts nothing', async () => {
    const dataDir = path.join(folder, 'server');
    const port = await freePort();
    const server = await startEmbeddedPostgres({ dataDir, port });
    try {
      const client = await openDatabase({
        url: server.url,
        embedded: { dataDir: '/nonexistent', port: 1 },
      });
      expect(client.embeddedDataDir).toBeUndefined();
      const [row] = await client.db.execute<{ one: number }>(sql`SELECT 1 AS one`);
      expect(row?.one).toBe(1);
      await client.close();
    } finally {
      await server.stop();
    }
  });
});
