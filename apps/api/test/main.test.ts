import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createTestDatabase, freePort, type TestDatabase } from '@wallet/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';

/**
 * main.ts as an operator runs it: a separate process on a real database, stopped by a
 * signal. It must serve, then on SIGTERM or SIGINT close cleanly and exit 0.
 */

const API_DIR = fileURLToPath(new URL('..', import.meta.url));

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(inject('testDatabaseServer'));
});

afterAll(async () => {
  await database.drop();
});

interface LogLine {
  msg?: string;
  rest?: string;
  pid?: number;
}

/** Starts main.ts; resolves once it logs that it listens, with every line it printed. */
function startMain(port: number, workers = 1) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: API_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      API_WORKERS: String(workers),
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
    },
  });
  const lines: LogLine[] = [];
  /** What is not a JSON log line: the first start's framed message. */
  const printed: string[] = [];
  const listening = new Promise<LogLine>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`main.ts exited early with code ${String(code)}`));
    });
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (!text.startsWith('{')) {
        printed.push(text);
        return;
      }
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      if (line.rest !== undefined) resolve(line);
    });
  });
  return { child, lines, printed, listening };
}

let firstStartKey: string | undefined;

function printedKey(printed: string[]): string {
  const text = printed.join('\n');
  expect(text).toContain('First start');
  const match = /admin API key:\s+(wlk_\S+)/.exec(text);
  expect(match?.[1]).toBeDefined();
  return match?.[1] ?? '';
}

describe('main.ts', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves, then on %s finishes, closes the pool and exits 0',
    async (signal) => {
      const port = await freePort();
      const { child, lines, printed, listening } = startMain(port);
      const ready = await listening;
      expect(ready.rest).toBe(`http://127.0.0.1:${port}/wallets`);

      // The first start printed an admin key once (the first of the two runs on this
      // database), outside the JSON log; the second start found it there.
      const apiKey = firstStartKey ?? printedKey(printed);
      firstStartKey = apiKey;
      expect(JSON.stringify(lines)).not.toContain(apiKey);
      const created = await fetch(`http://127.0.0.1:${port}/wallets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(created.status).toBe(201);
      const refused = await fetch(`http://127.0.0.1:${port}/wallets`, { method: 'POST' });
      expect(refused.status).toBe(401);

      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(lines.map((line) => line.msg)).toContain('stopped');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    },
  );

  it('on SIGTERM, closes a connection no request is on at once, without waiting out the drain window', async () => {
    const port = await freePort();
    const { child, lines, listening } = startMain(port);
    await listening;
    // A client's connection that never carries a request (an aborted fetch leaves these),
    // and a keep-alive connection between two requests.
    const silent = connect(port, '127.0.0.1');
    await once(silent, 'connect');
    const closedByServer = once(silent, 'close');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await closedByServer;
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    const messages = lines.map((line) => line.msg);
    expect(messages).toContain('stopped');
    expect(messages).not.toContain('closing the connections still open after the drain window');
  });

  it('API_WORKERS=2: two processes serve one port; a killed one is replaced; SIGTERM stops all, exit 0', async () => {
    const port = await freePort();
    const { child, lines, printed, listening } = startMain(port, 2);
    await listening;
    const workerPids = () =>
      new Set(lines.filter((line) => line.rest !== undefined).map((line) => line.pid));
    await vi.waitFor(
      () => {
        expect(workerPids().size).toBe(2);
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(workerPids().has(child.pid)).toBe(false);
    const apiKey = firstStartKey ?? printedKey(printed);
    const get = () =>
      fetch(`http://127.0.0.1:${port}/wallets`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect((await get()).status).toBe(200);

    const [victim] = workerPids();
    process.kill(victim ?? 0, 'SIGKILL');
    await vi.waitFor(
      () => {
        expect(lines.map((line) => line.msg)).toContain('API worker exited; starting another');
        expect(workerPids().size).toBe(3);
      },
      { timeout: 30_000, interval: 100 },
    );
    for (let i = 0; i < 4; i++) expect((await get()).status).toBe(200);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    for (const pid of workerPids()) expect(() => process.kill(pid ?? 0, 0)).toThrow();
  }, 60_000);
});
