import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { format } from 'prettier';

import type { Setting } from './settings';

export const README_PATH = fileURLToPath(new URL('../../../README.md', import.meta.url));
export const TURBO_PATH = fileURLToPath(new URL('../../../turbo.json', import.meta.url));

const TABLE_START = '<!-- settings:start (made by `pnpm settings:sync` from the env schemas) -->';
const TABLE_END = '<!-- settings:end -->';

/** What turbo passes to tasks besides the settings: the test tooling's own variables. */
const TOOLING_PASS_THROUGH = ['PLAYWRIGHT_*', 'CHROMIUM_PATH'];

/** The README's configuration table, formatted as prettier formats the README. */
export async function settingsTable(settings: readonly Setting[]): Promise<string> {
  const rows = settings.map(
    (setting) => `| \`${setting.name}\` | ${shown(setting.shownDefault)} | ${setting.meaning} |`,
  );
  const table = ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
  return (await format(table, { parser: 'markdown', proseWrap: 'preserve' })).trimEnd();
}

function shown(value: string): string {
  return value === 'unset' || value.includes(' ') ? value : `\`${value}\``;
}

/** The README with its table between the markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no "${TABLE_START}" … "${TABLE_END}" block`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

interface TurboConfig {
  globalEnv?: string[];
  globalPassThroughEnv?: string[];
  [key: string]: unknown;
}

/** turbo.json with every setting passed through to tasks (those of globalEnv are already). */
export function withPassThrough(turbo: TurboConfig, settings: readonly Setting[]): TurboConfig {
  const hashed = new Set(turbo.globalEnv ?? []);
  const names = settings.map((setting) => setting.name).filter((name) => !hashed.has(name));
  return { ...turbo, globalPassThroughEnv: [...TOOLING_PASS_THROUGH, ...names] };
}

/** Whether turbo's strict mode lets `name` through to a task: a listed name or pattern. */
export function passesThrough(turbo: TurboConfig, name: string): boolean {
  const patterns = [...(turbo.globalEnv ?? []), ...(turbo.globalPassThroughEnv ?? [])];
  return patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name,
  );
}

export async function readTurbo(): Promise<TurboConfig> {
  return JSON.parse(await readFile(TURBO_PATH, 'utf8')) as TurboConfig;
}

export async function formatTurbo(turbo: TurboConfig): Promise<string> {
  return format(JSON.stringify(turbo, null, 2), { parser: 'json' });
}
