import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';

import { MIGRATIONS_FOLDER } from '@wallet/db';
import { forgetLatestMigration } from '@wallet/testing';
import { describe, expect, it } from 'vitest';

import { readApiEnv } from '../src/env';
import { createLogger } from '../src/observability/logging';
import { bearer, startApi, type RunningApi } from './support/api';

/** Logs, readiness and configuration: what an operator of the service relies on. */

/** The newest committed migration's name, from the journal drizzle-kit writes. */
async function latestMigrationTag(): Promise<string> {
  const journal = JSON.parse(
    await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: { tag: string }[] };
  return journal.entries.at(-1)?.tag ?? '';
}

function collectLines(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

async function requestOnce(api: RunningApi, requestId: string): Promise<void> {
  const response = await fetch(new URL('/wallets', api.baseUrl), {
    headers: { ...bearer(api.keys.admin), 'x-request-id': requestId },
  });
  expect(response.status).toBe(200);
  await api.app.close(); // flushes the request's last line
}

describe('logs', () => {
  it('are JSON with the request id on each line of a request (debug), and never the credential', async () => {
    const lines: string[] = [];
    const api = await startApi({ logger: createLogger('debug', collectLines(lines)) });
    await requestOnce(api, 'log-check-1');
    const mine = lines.filter((line) => line.includes('log-check-1'));
    expect(mine.length).toBeGreaterThanOrEqual(1);
    for (const line of mine) expect(JSON.parse(line)).toMatchObject({ reqId: 'log-check-1' });
    // wlk_<32 hex>_<secret>: the secret is base64url, which may itself hold an underscore.
    const secret = api.keys.admin.slice('wlk_'.length + 32 + 1);
    expect(secret).toHaveLength(43);
    expect(lines.join('\n')).not.toContain(secret);
  });

  it('at info, say nothing of a quick request and warn of a slow one', async () => {
    const quiet: string[] = [];
    const quick = await startApi({ logger: createLogger('info', collectLines(quiet)) });
    await requestOnce(quick, 'log-quick-1');
    expect(quiet.filter((line) => line.includes('log-quick-1'))).toEqual([]);

    const warned: string[] = [];
    // Any real request takes longer than a microsecond.
    const slow = await startApi({
      logger: createLogger('info', collectLines(warned)),
      slowRequestMs: 0.001,
    });
    await requestOnce(slow, 'log-slow-1');
    const mine = warned
      .filter((line) => line.includes('log-slow-1'))
      .map((line): unknown => JSON.parse(line));
    expect(mine).toEqual([
      expect.objectContaining({
        msg: 'slow request',
        level: 40,
        route: '/wallets',
        statusCode: 200,
        reqId: 'log-slow-1',
      }),
    ]);
  });

  it('redact credentials even when a careless call logs the headers', () => {
    const captured: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          captured.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    logger.info(
      {
        req: { headers: { authorization: 'Bearer wlk_secret', cookie: 'wallet_session=abc' } },
        password: 'pw-123',
        nested: { apiKey: 'wlk_x' },
      },
      'oops',
    );
    const text = captured.join('');
    for (const secret of ['wlk_secret', 'wallet_session=abc', 'pw-123', 'wlk_x'])
      expect(text).not.toContain(secret);
  });
});

describe('/readyz', () => {
  it('is 503 naming the migration when one is missing, and when the database is down', async () => {
    const api = await startApi();
    try {
      expect((await fetch(new URL('/readyz', api.baseUrl))).status).toBe(200);
      await forgetLatestMigration(api.databaseUrl);
      const missing = await fetch(new URL('/readyz', api.baseUrl));
      expect(missing.status).toBe(503);
      expect(((await missing.json()) as { message: string }).message).toBe(
        `Migrations not applied: ${await latestMigrationTag()}`,
      );
      await api.closePool();
      const down = await fetch(new URL('/readyz', api.baseUrl));
      expect(down.status).toBe(503);
      expect(((await down.json()) as { message: string }).message).toBe('Database unavailable');
      // A key that must be checked against the database cannot be: 503, never 500 or a pass.
      const unchecked = await fetch(new URL('/wallets', api.baseUrl), {
        headers: bearer(api.keys['read-only']),
      });
      expect(unchecked.status).toBe(503);
    } finally {
      await api.close();
    }
  });
});

describe('configuration', () => {
  it('names every wrong variable on a line of its own', () => {
    let message = '';
    try {
      readApiEnv({
        RATE_LIMIT_PER_KEY_PER_MINUTE: 'many',
        ADMIN_API_KEY: 'secret',
        ADMIN_PASSWORD: 'short',
        TRUSTED_ORIGINS: 'http://ok.example,not an origin',
        SESSION_COOKIE_SECURE: 'yes',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    for (const name of [
      'RATE_LIMIT_PER_KEY_PER_MINUTE',
      'ADMIN_API_KEY',
      'ADMIN_PASSWORD',
      'TRUSTED_ORIGINS',
      'SESSION_COOKIE_SECURE',
    ]) {
      expect(
        lines.some((line) => line.includes(name)),
        `${name} in\n${message}`,
      ).toBe(true);
    }
    expect(message).not.toContain('secret');
  });

  it('has defaults a real service would use', () => {
    const env = readApiEnv({});
    expect(env).toMatchObject({
      RATE_LIMIT_PER_KEY_PER_MINUTE: 6000,
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 300,
      SESSION_COOKIE_SECURE: true,
      CORS_ORIGINS: [],
      ADMIN_USERNAME: 'admin',
    });
  });
});
