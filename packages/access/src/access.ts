import type {
  CreateApiKeyInput,
  CreateOperatorInput,
  DisableOperatorInput,
  ListAuditInput,
  ListPageInput,
  RevokeApiKeyInput,
  SignInInput,
} from '@wallet/contract';
import { recordAudit, type AuditRecord, type Db, type WriteContext } from '@wallet/db';

import { listAudit } from './audit';
import { AccessError, AccessUnavailableError } from './errors';
import { bootstrapAdmin, type BootstrapOptions, type Bootstrapped } from './bootstrap';
import { listenFor } from './listener';
import {
  ApiKeyVerifier,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type CreatedApiKey,
} from './keys';
import { createOperator, disableOperator, listOperators } from './operators';
import { authenticateSession, signIn, signOut, type SignedIn } from './sessions';
import type { ApiKeyInfo, AuditEntry, OperatorInfo, Page, Principal } from './types';

/** The channel the access triggers of migration 0003 announce changes on. */
export const ACCESS_CHANNEL = 'wallet_access_changed';

export const KEY_CACHE_TTL_MS_DEFAULT = 10_000;
export const SESSION_TTL_MS_DEFAULT = 8 * 60 * 60 * 1000;

export interface AccessOptions {
  /** How long a verified API key is trusted without a query (the backstop of NOTIFY). */
  keyCacheTtlMs?: number;
  sessionTtlMs?: number;
}

export interface Access {
  authenticateApiKey(text: string): Promise<Principal>;
  authenticateSession(token: string): Promise<Principal>;
  signIn(input: SignInInput, requestId?: string): Promise<SignedIn>;
  signOut(principal: Principal & { kind: 'user' }, requestId?: string): Promise<void>;
  createApiKey(input: CreateApiKeyInput, context: WriteContext): Promise<CreatedApiKey>;
  listApiKeys(input: ListPageInput): Promise<Page<ApiKeyInfo>>;
  revokeApiKey(input: RevokeApiKeyInput, context: WriteContext): Promise<ApiKeyInfo>;
  createOperator(input: CreateOperatorInput, context: WriteContext): Promise<OperatorInfo>;
  listOperators(input: ListPageInput): Promise<Page<OperatorInfo>>;
  disableOperator(input: DisableOperatorInput, context: WriteContext): Promise<OperatorInfo>;
  listAudit(input: ListAuditInput): Promise<Page<AuditEntry>>;
  /** For what is audited outside a change of this package (a refused attempt, say). */
  recordAudit(records: AuditRecord[]): Promise<void>;
  bootstrapAdmin(options: BootstrapOptions): Promise<Bootstrapped | undefined>;
  /**
   * Subscribes to revocations announced by any process (LISTEN on its own connection);
   * the key cache is emptied on every (re)connection, since announcements may have been
   * missed meanwhile. Without it, revocations elsewhere take effect within the TTL.
   */
  listen(url: string): Promise<void>;
  /** Stops listening. */
  close(): Promise<void>;
}

/** A credential check whose database failed is a 503 to retry, not a 500. */
async function checking<T>(check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof AccessError) throw error;
    throw new AccessUnavailableError();
  }
}

export function createAccess(db: Db, options: AccessOptions = {}): Access {
  const sessionTtlMs = options.sessionTtlMs ?? SESSION_TTL_MS_DEFAULT;
  const keys = new ApiKeyVerifier(db, options.keyCacheTtlMs ?? KEY_CACHE_TTL_MS_DEFAULT);
  let listener: { close(): Promise<void> } | undefined;
  return {
    authenticateApiKey: (text) => checking(keys.verify(text)),
    authenticateSession: (token) => checking(authenticateSession(db, token)),
    signIn: (input, requestId) => signIn(db, input, { ttlMs: sessionTtlMs, requestId }),
    signOut: (principal, requestId) => signOut(db, principal, requestId),
    createApiKey: (input, context) => createApiKey(db, input, context),
    listApiKeys: (input) => listApiKeys(db, input),
    revokeApiKey: async (input, context) => {
      const key = await revokeApiKey(db, input, context);
      keys.forget(key.id); // at once here; elsewhere through NOTIFY
      return key;
    },
    createOperator: (input, context) => createOperator(db, input, context),
    listOperators: (input) => listOperators(db, input),
    disableOperator: (input, context) => disableOperator(db, input, context),
    listAudit: (input) => listAudit(db, input),
    recordAudit: (records) => recordAudit(db, records),
    bootstrapAdmin: (bootstrap) => bootstrapAdmin(db, bootstrap),
    listen: async (url) => {
      listener = await listenFor(
        url,
        ACCESS_CHANNEL,
        (payload) => {
          const [table, id] = payload.split(':');
          if (table === 'api_keys' && id) keys.forget(id);
        },
        () => {
          keys.forgetAll();
        },
      );
    },
    close: async () => {
      await listener?.close().catch(() => undefined);
      listener = undefined;
    },
  };
}
