import { apiEnvSchema } from '@wallet/api/env';
import { settingDocs, type SettingDoc } from '@wallet/contract';
import { webEnvSchema } from '@wallet/web/env';
import type { z } from 'zod';

/**
 * Every setting of the service, read from the env schemas that validate them (the API's,
 * which includes the database's, and the dashboard's): the one list the README's table
 * and turbo's pass-through list are made from.
 */

export interface Setting {
  name: string;
  meaning: string;
  shownDefault: string;
  section: NonNullable<SettingDoc['section']>;
  /** The schema that validates it, to test wrong values against. */
  schema: z.ZodObject;
}

/** Variables a schema reads that are no operator's setting, and why. */
export const NOT_SETTINGS: Readonly<Record<string, string>> = {
  'web NODE_ENV': 'Next sets it itself: `next start` runs in production, `next dev` in development',
};

const SCHEMAS: readonly (readonly [string, z.ZodObject])[] = [
  ['api', apiEnvSchema],
  ['web', webEnvSchema],
];

const SECTION_ORDER: readonly Setting['section'][] = ['service', 'dashboard', 'tests'];

export function collectSettings(): Setting[] {
  const byName = new Map<string, Setting>();
  for (const [owner, schema] of SCHEMAS) {
    for (const [name, field] of Object.entries(schema.shape)) {
      const doc = settingDocs.get(field as z.ZodType);
      if (!doc) {
        if (`${owner} ${name}` in NOT_SETTINGS) continue;
        throw new Error(`${owner}'s env schema reads ${name} without documenting it`);
      }
      if (byName.has(name)) throw new Error(`${name} is documented by two schemas`);
      byName.set(name, {
        name,
        meaning: doc.meaning,
        shownDefault: doc.shownDefault ?? defaultOf(field as z.ZodType),
        section: doc.section ?? 'service',
        schema,
      });
    }
  }
  const rank = (setting: Setting) => SECTION_ORDER.indexOf(setting.section);
  // A stable sort: within a section, the schemas' own order (related settings together).
  return [...byName.values()].sort((a, b) => rank(a) - rank(b));
}

/** The default a schema applies, as text; "unset" for an optional variable. */
function defaultOf(field: z.ZodType): string {
  const def = field._zod.def as { type: string; defaultValue?: unknown };
  if (def.type !== 'default') return 'unset';
  const value = def.defaultValue;
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : value.join(',');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new Error(`no way to show the default ${JSON.stringify(value)}: give shownDefault`);
}
