import { z } from 'zod';

/**
 * What an operator reads about a setting (an environment variable): its meaning and, where
 * the schema's default is computed or a path of this machine, the default as the README
 * shows it. Each env schema (apps/api, packages/db, apps/web) registers its variables here
 * next to their validation, so the README's configuration table and turbo's pass-through
 * list are made from, or checked against, the one definition (tooling/settings).
 */
export interface SettingDoc {
  meaning: string;
  /** The default as documented; the schema's own default value when absent. */
  shownDefault?: string;
  /** Where the README's table puts it: service settings first, then the dashboard's. */
  section?: 'service' | 'dashboard' | 'tests';
}

export const settingDocs = z.registry<SettingDoc>();

/** `schema`, documented: registers its meaning (and the default as shown) and returns it. */
export function documented<T extends z.ZodType>(schema: T, doc: SettingDoc): T {
  settingDocs.add(schema, doc);
  return schema;
}
