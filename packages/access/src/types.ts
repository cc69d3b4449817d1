import type { AccessRole } from '@wallet/contract';

/** Who is asking: an API key, or an operator signed in to the dashboard. */
export type Principal =
  | { kind: 'key'; id: string; name: string; role: AccessRole }
  | {
      kind: 'user';
      id: string;
      username: string;
      role: AccessRole;
      /** SHA-256 of the session token: the session's id. */
      sessionId: string;
      csrfToken: string;
    };

/** The audit log's name for a principal. */
export function actorOf(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}

/**
 * Whose idempotency keys a principal's writes use: the principal itself, each API key and
 * each operator account (not its session: a retry after signing in again is still a
 * retry). Keys never need coordinating between two credentials, and one credential's
 * 409 can only ever name what that credential did.
 */
export function idempotencyOwnerOf(principal: Principal): string {
  return actorOf(principal);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: AccessRole;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface OperatorInfo {
  id: string;
  username: string;
  role: AccessRole;
  createdAt: Date;
  createdBy: string;
  disabledAt: Date | null;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  outcome: 'success' | 'refused' | 'denied';
  requestId: string | null;
  details: Record<string, unknown>;
}
