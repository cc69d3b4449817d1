import {
  createApiKeyInput,
  listPageInput,
  revokeApiKeyInput,
  type AccessRole,
  type CreateApiKeyInput,
  type ListPageInput,
  type RevokeApiKeyInput,
} from '@wallet/contract';
import { recordAudit, schema, type Db, type WriteContext } from '@wallet/db';
import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';

import { ApiKeyNotFoundError, UnauthenticatedError } from './errors';
import { pageOf, parseInput, uuidCursor } from './input';
import { constantTimeEqual, formatApiKey, parseApiKey, randomToken, sha256Hex } from './secrets';
import type { ApiKeyInfo, Page, Principal } from './types';

const { apiKeys } = schema;

export interface CreatedApiKey {
  /** The whole key: shown once, never stored. */
  apiKey: string;
  key: ApiKeyInfo;
}

function toInfo(row: typeof apiKeys.$inferSelect): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

type Executor = Pick<Db, 'insert'>;

/** Inserts a key (a new random secret, or the one given) and its audit row, on `executor`. */
export async function insertApiKey(
  executor: Executor,
  request: { name: string; role: AccessRole; apiKey?: string },
  context: WriteContext,
): Promise<CreatedApiKey> {
  const given = request.apiKey === undefined ? undefined : parseApiKey(request.apiKey);
  const id = given?.id ?? uuidv7();
  const secret = given?.secret ?? randomToken();
  const [row] = await executor
    .insert(apiKeys)
    .values({
      id,
      name: request.name,
      role: request.role,
      secretHash: sha256Hex(secret),
      createdBy: context.actor,
    })
    .returning();
  if (!row) throw new Error('insert returned no key');
  await recordAudit(executor, [
    {
      ...context,
      action: 'keys.create',
      target: `key:${id}`,
      outcome: 'success',
      details: { name: request.name, role: request.role },
    },
  ]);
  return { apiKey: formatApiKey(id, secret), key: toInfo(row) };
}

export function createApiKey(
  db: Db,
  input: CreateApiKeyInput,
  context: WriteContext,
): Promise<CreatedApiKey> {
  const request = parseInput(createApiKeyInput, input);
  return db.transaction((tx) => insertApiKey(tx, request, context));
}

export async function listApiKeys(db: Db, input: ListPageInput): Promise<Page<ApiKeyInfo>> {
  const request = parseInput(listPageInput, input);
  const cursor = uuidCursor(request.cursor);
  const rows = await db
    .select()
    .from(apiKeys)
    .where(cursor === undefined ? undefined : lt(apiKeys.id, cursor))
    .orderBy(desc(apiKeys.id))
    .limit(request.limit + 1);
  return pageOf(rows.map(toInfo), request.limit, (key) => key.id);
}

/**
 * Revokes a key for good; the trigger on api_keys announces it to every API process
 * (NOTIFY at commit). Revoking a revoked key changes nothing and says so by its revokedAt.
 */
export async function revokeApiKey(
  db: Db,
  input: RevokeApiKeyInput,
  context: WriteContext,
): Promise<ApiKeyInfo> {
  const { id } = parseInput(revokeApiKeyInput, input);
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    const row = revoked ?? (await tx.select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
    if (!row) throw new ApiKeyNotFoundError(id);
    await recordAudit(tx, [
      {
        ...context,
        action: 'keys.revoke',
        target: `key:${id}`,
        outcome: 'success',
        details: { name: row.name, alreadyRevoked: revoked === undefined },
      },
    ]);
    return toInfo(row);
  });
}

interface CachedKey {
  secretHash: string;
  principal: Principal & { kind: 'key' };
  expiresAtMs: number;
}

/** Past this many cached keys the cache starts again empty: memory stays bounded. */
export const KEY_CACHE_ENTRIES_MAX = 10_000;

/**
 * Verifies API keys, keeping each verified key for `ttlMs` so the hot path costs a hash
 * and a map lookup, not a query. `forget(id)` drops one at once (revocation in this
 * process, or announced by another through NOTIFY); the TTL bounds how long a missed
 * announcement could matter. Only valid keys are kept, with their hash: a wrong secret
 * for a cached id is refused without a query.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
  ) {}

  async verify(text: string): Promise<Principal & { kind: 'key' }> {
    const parsed = parseApiKey(text);
    if (!parsed) throw new UnauthenticatedError('Invalid API key');
    const secretHash = sha256Hex(parsed.secret);
    const cached = this.cache.get(parsed.id);
    if (cached && cached.expiresAtMs > Date.now()) {
      if (!constantTimeEqual(cached.secretHash, secretHash)) {
        throw new UnauthenticatedError('Invalid API key');
      }
      return cached.principal;
    }
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, parsed.id));
    if (!row || !constantTimeEqual(row.secretHash, secretHash)) {
      throw new UnauthenticatedError('Invalid API key');
    }
    if (row.revokedAt !== null) throw new UnauthenticatedError('This API key has been revoked');
    const principal = { kind: 'key', id: row.id, name: row.name, role: row.role } as const;
    if (this.cache.size >= KEY_CACHE_ENTRIES_MAX) this.cache.clear();
    this.cache.set(row.id, { secretHash, principal, expiresAtMs: Date.now() + this.ttlMs });
    // At most once per TTL per process: a hint for operators, not worth a write per request.
    void this.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(eq(apiKeys.id, row.id))
      .catch(() => undefined);
    return principal;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}
