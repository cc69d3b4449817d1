import { readFile } from 'node:fs/promises';

import { readApiEnv } from '@wallet/api/env';
import { readWebEnv } from '@wallet/web/env';
import { describe, expect, it } from 'vitest';

import {
  README_PATH,
  formatTurbo,
  passesThrough,
  readTurbo,
  settingsTable,
  withPassThrough,
  withTable,
} from '../src/outputs';
import { collectSettings } from '../src/settings';

const settings = collectSettings();
const SYNC = 'run `pnpm settings:sync`';

describe('the settings of the env schemas', () => {
  it('are many, and each has a meaning', () => {
    expect(settings.length).toBeGreaterThan(25);
    for (const setting of settings) expect(setting.meaning.length).toBeGreaterThan(10);
  });

  it('all reach the tasks turbo runs in strict mode (pnpm start, dev, test)', async () => {
    const turbo = await readTurbo();
    const dropped = settings.filter((setting) => !passesThrough(turbo, setting.name));
    expect(
      dropped.map((setting) => setting.name),
      SYNC,
    ).toEqual([]);
    expect(await formatTurbo(turbo), SYNC).toBe(
      await formatTurbo(withPassThrough(turbo, settings)),
    );
  });

  it('are the README configuration table, row for row', async () => {
    const readme = await readFile(README_PATH, 'utf8');
    expect(readme, SYNC).toBe(withTable(readme, await settingsTable(settings)));
    for (const setting of settings) expect(readme).toContain(`| \`${setting.name}\``);
  });

  it.each([
    ['LEDGER_BATCH_SIZE_MAX', 'notanumber'],
    ['DATABASE_POOL_MAX', 'zzz'],
    ['API_WORKERS', '0'],
    ['DATABASE_REPLICA_URL', 'mysql://replica'],
    ['LOG_SLOW_REQUEST_MS', '-1'],
    ['SESSION_COOKIE_SECURE', 'yes'],
  ])('a wrong %s (%s) stops the API with a message naming it', (name, value) => {
    expect(() => readApiEnv({ [name]: value })).toThrow(name);
  });

  it('a wrong WEB_PORT or API_URL stops the dashboard with a message naming it', () => {
    expect(() => readWebEnv({ WEB_PORT: 'http' })).toThrow('WEB_PORT');
    expect(() => readWebEnv({ API_URL: 'ftp://api' })).toThrow('API_URL');
  });
});
