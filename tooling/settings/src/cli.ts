/**
 * `pnpm settings:sync`: writes the README's configuration table and turbo.json's
 * pass-through list from the env schemas. The settings test fails until both match.
 */
import { readFile, writeFile } from 'node:fs/promises';

import {
  README_PATH,
  TURBO_PATH,
  formatTurbo,
  readTurbo,
  settingsTable,
  withPassThrough,
  withTable,
} from './outputs';
import { collectSettings } from './settings';

const settings = collectSettings();
const readme = await readFile(README_PATH, 'utf8');
await writeFile(README_PATH, withTable(readme, await settingsTable(settings)));
await writeFile(TURBO_PATH, await formatTurbo(withPassThrough(await readTurbo(), settings)));
console.log(`${settings.length} settings written to README.md and turbo.json`);
