import type { Access, Principal } from '@wallet/access';
import { UnauthenticatedError } from '@wallet/access';

/** An admin key for servers built around a fake ledger (no database at all). */
export const FAKE_ADMIN_KEY = 'test-admin-key';
export const FAKE_ADMIN: Principal = {
  kind: 'key',
  id: '00000000-0000-7000-8000-00000000000a',
  name: 'admin',
  role: 'admin',
};
export const FAKE_ADMIN_HEADERS = { authorization: `Bearer ${FAKE_ADMIN_KEY}` };

/** Access control without a database: one admin key; nothing else is expected to be called. */
export function fakeAccess(): Access {
  const unexpected = () => Promise.reject(new Error('not expected in this test'));
  return {
    authenticateApiKey: (text) =>
      text === FAKE_ADMIN_KEY
        ? Promise.resolve(FAKE_ADMIN)
        : Promise.reject(new UnauthenticatedError()),
    authenticateSession: () => Promise.reject(new UnauthenticatedError()),
    signIn: unexpected,
    signOut: unexpected,
    createApiKey: unexpected,
    listApiKeys: unexpected,
    revokeApiKey: unexpected,
    createOperator: unexpected,
    listOperators: unexpected,
    disableOperator: unexpected,
    listAudit: unexpected,
    recordAudit: () => Promise.resolve(),
    bootstrapAdmin: unexpected,
    listen: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

export const noMigrationsPending = () => Promise.resolve({ pending: [] });
