import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWallet, expectRestError, startApi, type RunningApi } from './support/api';

/** How the API fails when its database goes away: the pool is closed for real, mid-run. */

let api: RunningApi;
const logLines: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) });
  api = await startApi({ logger });
});

afterAll(async () => {
  await api.close();
});

describe('without a database', () => {
  it('healthz is 200 while the database answers, 503 in the error shape once it does not', async () => {
    const wallet = await createWallet(api.http);
    expect((await api.http.get('/healthz')).status).toBe(200);

    await api.closePool();

    const message = expectRestError(await api.http.get('/healthz'), 503, '/healthz');
    expect(message).toBe('Database unavailable');
    // A ledger call now fails for a reason no client caused: the documented unavailability.
    const path = `/wallets/${wallet.id}`;
    expect(expectRestError(await api.http.get(path), 503, path)).toContain(
      'The ledger database is unavailable',
    );
  });
});
