import { runQuickStartToExit, startQuickStart } from '@wallet/api/harness/quick-start';
import { describe, expect, it } from 'vitest';

/**
 * The settings reach the service under the README's own command: `pnpm start` (turbo
 * builds, then runs the API and the dashboard), on a folder and ports of its own.
 */

const EXIT_TIMEOUT_MS = 240_000;
const WORKERS_TIMEOUT_MS = 30_000;

describe('pnpm start', () => {
  it('API_WORKERS=3 runs three API processes beside the dashboard', async () => {
    const service = await startQuickStart({ API_WORKERS: '3' });
    try {
      const health = await fetch(`${service.apiUrl}/healthz`);
      expect(health.status).toBe(200);
      const listening = await waitFor(async () => {
        const pids = listeningPids(await service.readLog());
        return pids.size === 3 ? pids : undefined;
      }, WORKERS_TIMEOUT_MS);
      expect(listening.size).toBe(3);
      expect(await service.readLog()).toMatch(/"workers":3,.*"msg":"API workers starting"/);
    } finally {
      await service.stop();
    }
  });

  it.each([
    ['LEDGER_BATCH_SIZE_MAX', 'notanumber'],
    ['DATABASE_POOL_MAX', 'zzz'],
    ['WEB_PORT', 'http'],
  ])('stops when %s is %s, with a message naming it', async (name, value) => {
    const { code, output } = await runQuickStartToExit({ [name]: value }, EXIT_TIMEOUT_MS);
    expect(code).not.toBe(0);
    expect(output).toContain(name);
  });
});

/** The pids of the API processes that logged "wallet API listening". */
function listeningPids(log: string): Set<number> {
  const pids = new Set<number>();
  for (const match of log.matchAll(/"pid":(\d+)[^\n]*wallet API listening/g)) {
    pids.add(Number(match[1]));
  }
  return pids;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
