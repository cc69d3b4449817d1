import { signInInput, type SignInInput } from '@wallet/contract';
import { recordAudit, schema, type Db } from '@wallet/db';
import { and, eq, gt, isNull } from 'drizzle-orm';

import { UnauthenticatedError } from './errors';
import { parseInput } from './input';
import { burnPasswordCheck, verifyPassword } from './passwords';
import { randomToken, sha256Hex } from './secrets';
import type { Principal } from './types';

const { operators, sessions } = schema;

export interface SignedIn {
  /** The cookie's value: shown to the browser once, stored only as its SHA-256. */
  token: string;
  expiresAt: Date;
  principal: Principal & { kind: 'user' };
}

const SIGN_IN_FAILED = 'Wrong username or password';

/**
 * Checks a username and password and opens a session. Every outcome is audited; an
 * unknown username costs a password check too, so timing tells nothing.
 */
export async function signIn(
  db: Db,
  input: SignInInput,
  options: { ttlMs: number; requestId?: string },
): Promise<SignedIn> {
  const request = parseInput(signInInput, input);
  const [operator] = await db
    .select()
    .from(operators)
    .where(eq(operators.username, request.username));
  const valid = operator
    ? await verifyPassword(operator.passwordHash, request.password)
    : (await burnPasswordCheck(request.password), false);
  if (!operator || !valid || operator.disabledAt !== null) {
    await recordAudit(db, [
      {
        actor: 'anonymous',
        action: 'auth.signIn',
        target: operator ? `user:${operator.id}` : null,
        outcome: 'refused',
        requestId: options.requestId,
        details: {
          username: request.username,
          reason: !operator ? 'unknown user' : !valid ? 'wrong password' : 'disabled',
        },
      },
    ]);
    throw new UnauthenticatedError(SIGN_IN_FAILED);
  }
  const token = randomToken();
  const csrfToken = randomToken();
  const id = sha256Hex(token);
  const expiresAt = new Date(Date.now() + options.ttlMs);
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({ id, operatorId: operator.id, csrfToken, expiresAt });
    await recordAudit(tx, [
      {
        actor: `user:${operator.id}`,
        action: 'auth.signIn',
        target: `user:${operator.id}`,
        outcome: 'success',
        requestId: options.requestId,
        details: { username: operator.username },
      },
    ]);
  });
  return {
    token,
    expiresAt,
    principal: {
      kind: 'user',
      id: operator.id,
      username: operator.username,
      role: operator.role,
      sessionId: id,
      csrfToken,
    },
  };
}

/** The operator behind a session cookie: live session, enabled account; else 401. */
export async function authenticateSession(db: Db, token: string): Promise<Principal> {
  if (token.length === 0 || token.length > 128) throw new UnauthenticatedError('Invalid session');
  const id = sha256Hex(token);
  const [row] = await db
    .select({
      operatorId: operators.id,
      username: operators.username,
      role: operators.role,
      csrfToken: sessions.csrfToken,
    })
    .from(sessions)
    .innerJoin(operators, eq(operators.id, sessions.operatorId))
    .where(
      and(
        eq(sessions.id, id),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
        isNull(operators.disabledAt),
      ),
    );
  if (!row) throw new UnauthenticatedError('Your session has ended: sign in again');
  return {
    kind: 'user',
    id: row.operatorId,
    username: row.username,
    role: row.role,
    sessionId: id,
    csrfToken: row.csrfToken,
  };
}

/** Ends a session in the database, so its cookie is worthless wherever it was copied. */
export async function signOut(
  db: Db,
  principal: Principal & { kind: 'user' },
  requestId?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.id, principal.sessionId), isNull(sessions.revokedAt)));
    await recordAudit(tx, [
      {
        actor: `user:${principal.id}`,
        action: 'auth.signOut',
        target: `user:${principal.id}`,
        outcome: 'success',
        requestId,
      },
    ]);
  });
}
