import { createDatabase, schema } from '@wallet/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { createAccess, parseApiKey, UnauthenticatedError, UsernameTakenError } from '../src';
import { useTestAccess } from './support';

const { access, database, url } = await useTestAccess({ keyCacheTtlMs: 60_000 });
const cli = { actor: 'cli', requestId: 'req-1' };

describe('API keys', () => {
  it('verifies a new key, refuses a wrong secret, stores only the hash', async () => {
    const { apiKey, key } = await access.createApiKey({ name: 'ci', role: 'operator' }, cli);
    expect(apiKey).toMatch(/^wlk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(await access.authenticateApiKey(apiKey)).toEqual({
      kind: 'key',
      id: key.id,
      name: 'ci',
      role: 'operator',
    });
    const wrong = `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`;
    await expect(access.authenticateApiKey(wrong)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(access.authenticateApiKey('nonsense')).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    const [row] = await database.db
      .select()
      .from(schema.apiKeys)
      .where(eq(schema.apiKeys.id, key.id));
    const secret = parseApiKey(apiKey)?.secret ?? '';
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('revocation takes effect at once here and, through NOTIFY, in another process', async () => {
    const other = createDatabase(url, { poolMax: 2 });
    const otherAccess = createAccess(other.db, { keyCacheTtlMs: 60_000 });
    afterAll(async () => {
      await otherAccess.close();
      await other.close();
    });
    await otherAccess.listen(url);
    const { apiKey, key } = await access.createApiKey({ name: 'doomed', role: 'admin' }, cli);
    await access.authenticateApiKey(apiKey);
    await otherAccess.authenticateApiKey(apiKey); // now cached there for a minute
    await access.revokeApiKey({ id: key.id }, cli);
    await expect(access.authenticateApiKey(apiKey)).rejects.toThrow(/revoked/);
    await vi.waitFor(
      async () => {
        await expect(otherAccess.authenticateApiKey(apiKey)).rejects.toThrow(/revoked/);
      },
      { timeout: 2_000, interval: 10 },
    );
  });

  it('audits creation and revocation with actor, target and request id', async () => {
    const { key } = await access.createApiKey({ name: 'audited', role: 'read-only' }, cli);
    await access.revokeApiKey({ id: key.id }, cli);
    const { items } = await access.listAudit({ actor: 'cli', limit: 100 });
    const actions = items.filter((e) => e.target === `key:${key.id}`).map((e) => e.action);
    expect(actions).toEqual(['keys.revoke', 'keys.create']);
    expect(items[0]).toMatchObject({ outcome: 'success', requestId: 'req-1' });
  });
});

describe('operators and sessions', () => {
  it('signs in, reads the session, signs out for good', async () => {
    await access.createOperator(
      { username: 'olga', password: 'correct horse battery', role: 'operator' },
      cli,
    );
    const signed = await access.signIn({ username: 'olga', password: 'correct horse battery' });
    const principal = await access.authenticateSession(signed.token);
    expect(principal).toMatchObject({ kind: 'user', username: 'olga', role: 'operator' });
    await access.signOut(signed.principal);
    await expect(access.authenticateSession(signed.token)).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
  });

  it('refuses a wrong password and an unknown user alike, and audits both', async () => {
    await expect(access.signIn({ username: 'olga', password: 'wrong password!' })).rejects.toThrow(
      'Wrong username or password',
    );
    await expect(
      access.signIn({ username: 'nobody', password: 'wrong password!' }),
    ).rejects.toThrow('Wrong username or password');
    const { items } = await access.listAudit({ action: 'auth.signIn' });
    expect(items.filter((e) => e.outcome === 'refused')).toHaveLength(2);
  });

  it('refuses a taken username; disabling ends the sessions', async () => {
    await expect(
      access.createOperator({ username: 'olga', password: 'another long one', role: 'admin' }, cli),
    ).rejects.toBeInstanceOf(UsernameTakenError);
    const operator = await access.createOperator(
      { username: 'dora', password: 'dora dora dora', role: 'read-only' },
      cli,
    );
    const signed = await access.signIn({ username: 'dora', password: 'dora dora dora' });
    await access.disableOperator({ id: operator.id }, cli);
    await expect(access.authenticateSession(signed.token)).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    await expect(access.signIn({ username: 'dora', password: 'dora dora dora' })).rejects.toThrow();
  });
});

describe('the audit log', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await access.recordAudit([{ actor: 'system', action: 'test.write', outcome: 'success' }]);
    for (const statement of [
      sql`UPDATE audit_log SET actor = 'system'`,
      sql`DELETE FROM audit_log`,
      sql`TRUNCATE audit_log`,
    ]) {
      await expect(database.db.execute(statement)).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/append-only/) as unknown },
      });
    }
  });

  it('pages newest first by keyset', async () => {
    const first = await access.listAudit({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await access.listAudit({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(Number(second.items[0]?.id)).toBeLessThan(Number(first.items[1]?.id));
  });

  it('filters by target and by time range', async () => {
    const target = `wallet-${Date.now()}`;
    await access.recordAudit([
      { actor: 'system', action: 'test.write', target, outcome: 'success' },
      { actor: 'system', action: 'test.write', target: `${target}-other`, outcome: 'success' },
    ]);
    const mine = await access.listAudit({ target });
    expect(mine.items.map((entry) => entry.target)).toEqual([target]);
    const at = mine.items[0]?.at;
    if (!at) throw new Error('no audit row');
    const later = new Date(at.getTime() + 1);
    expect((await access.listAudit({ target, from: at, to: later })).items).toHaveLength(1);
    expect((await access.listAudit({ target, from: later })).items).toHaveLength(0);
    expect((await access.listAudit({ target, to: at })).items).toHaveLength(0);
    await expect(access.listAudit({ from: later, to: at })).rejects.toThrow(
      'to from must be earlier than to',
    );
  });
});

describe('first start', () => {
  it('creates one admin and one key even when two processes race', async () => {
    const fresh = await useTestAccess();
    const results = await Promise.all([
      fresh.access.bootstrapAdmin({ username: 'admin' }),
      fresh.access.bootstrapAdmin({ username: 'admin' }),
    ]);
    const made = results.filter((r) => r !== undefined);
    expect(made).toHaveLength(1);
    const [created] = made;
    expect(await fresh.access.authenticateApiKey(created?.apiKey ?? '')).toMatchObject({
      role: 'admin',
    });
    const signed = await fresh.access.signIn({
      username: 'admin',
      password: created?.password ?? '',
    });
    expect(signed.principal.role).toBe('admin');
    expect(await fresh.access.bootstrapAdmin({ username: 'admin' })).toBeUndefined();
  });

  it('takes the password and key from the caller when given', async () => {
    const fresh = await useTestAccess();
    const apiKey = `wlk_${'ab'.repeat(16)}_${'k'.repeat(43)}`;
    const made = await fresh.access.bootstrapAdmin({
      username: 'root',
      password: 'given password 1',
      apiKey,
    });
    expect(made).toMatchObject({ generatedPassword: false, generatedApiKey: false });
    expect((await fresh.access.authenticateApiKey(apiKey)).role).toBe('admin');
  });
});
