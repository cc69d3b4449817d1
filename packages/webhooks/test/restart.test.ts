import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it, vi } from 'vitest';

import {
  emitEvents,
  startReceiver,
  SYSTEM,
  tableSource,
  useTestDatabase,
  useWebhooks,
} from './support';

const { database, url } = await useTestDatabase();
const { webhooks } = useWebhooks(database, { attemptTimeoutMs: 1_000 });
const WORKER = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** A webhook process of its own (test/worker-process.ts), started and ready. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await vi.waitFor(
    () => {
      expect(output).toContain('ready');
    },
    { timeout: 30_000, interval: 20 },
  );
  return child;
}

describe('a webhook process killed with kill -9 mid-storm', () => {
  it('loses nothing: another process delivers what it held', async () => {
    let answered = 0;
    const receiver = await startReceiver(async () => {
      answered += 1;
      // Slow enough that the kill finds attempts in flight.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 200;
    });
    const made = await webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    receiver.setSecret(made.secret);

    const doomed = await startWorkerProcess();
    const ids = await emitEvents(database, 120);
    await vi.waitFor(
      () => {
        expect(answered).toBeGreaterThanOrEqual(20);
      },
      { timeout: 30_000, interval: 5 },
    );
    doomed.kill('SIGKILL');
    await once(doomed, 'exit');
    const beforeRestart = receiver.uniqueIds().size;
    expect(beforeRestart).toBeLessThan(ids.length);

    await webhooks.start(tableSource(database));
    await vi.waitFor(
      () => {
        expect(receiver.uniqueIds()).toEqual(new Set(ids));
      },
      { timeout: 60_000, interval: 20 },
    );
    expect(receiver.received.every((entry) => entry.verified)).toBe(true);
    await vi.waitFor(
      async () => {
        const page = await webhooks.deliveries({ webhookId: made.webhook.id, status: 'pending' });
        expect(page.items).toEqual([]);
      },
      { timeout: 60_000, interval: 20 },
    );
  });
});
