import { schema, type Db } from '@wallet/db';
import { and, count, eq, isNull, sql } from 'drizzle-orm';

import { insertApiKey } from './keys';
import { insertOperator } from './operators';
import { hashPassword } from './passwords';
import { randomToken } from './secrets';

/** Any constant, the same in every process; not the migrator's. */
const BOOTSTRAP_LOCK_ID = 7_340_215_002;

export interface BootstrapOptions {
  username: string;
  /** Else a random one, printed once. */
  password?: string;
  /** Else a random one, printed once. */
  apiKey?: string;
}

export interface Bootstrapped {
  username: string;
  password: string;
  apiKey: string;
  /** False where the value came from the environment (and must not be printed). */
  generatedPassword: boolean;
  generatedApiKey: boolean;
}

/**
 * On the first start of a new database (no active admin operator and no active admin
 * key), creates an admin operator and an admin API key; returns them so the caller prints them once, or
 * undefined when there was nothing to do. Two processes starting at once take turns on
 * an advisory lock: the second finds the first's admin and does nothing.
 */
export async function bootstrapAdmin(
  db: Db,
  options: BootstrapOptions,
): Promise<Bootstrapped | undefined> {
  const password = options.password ?? randomToken(18);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`);
    const { operators, apiKeys } = schema;
    const [admins] = await tx
      .select({ n: count() })
      .from(operators)
      .where(and(eq(operators.role, 'admin'), isNull(operators.disabledAt)));
    const [adminKeys] = await tx
      .select({ n: count() })
      .from(apiKeys)
      .where(and(eq(apiKeys.role, 'admin'), isNull(apiKeys.revokedAt)));
    if ((admins?.n ?? 0) > 0 || (adminKeys?.n ?? 0) > 0) return undefined;
    const context = { actor: 'system' };
    await insertOperator(tx, { username: options.username, passwordHash, role: 'admin' }, context);
    const { apiKey } = await insertApiKey(
      tx,
      { name: 'bootstrap admin', role: 'admin', apiKey: options.apiKey },
      context,
    );
    return {
      username: options.username,
      password,
      apiKey,
      generatedPassword: options.password === undefined,
      generatedApiKey: options.apiKey === undefined,
    };
  });
}
