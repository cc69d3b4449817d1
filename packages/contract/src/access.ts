import { z } from 'zod';

import { fieldError } from './issues';
import {
  AUDIT_ACTION_LENGTH_MAX,
  AUDIT_TARGET_LENGTH_MAX,
  AUDIT_ACTOR_LENGTH_MAX,
  CURSOR_LENGTH_MAX,
  KEY_NAME_LENGTH_MAX,
  PASSWORD_LENGTH_MAX,
  PASSWORD_LENGTH_MIN,
  USERNAME_LENGTH_MAX,
  USERNAME_LENGTH_MIN,
} from './limits';
import { pageLimitSchema } from './schemas';

/**
 * Inputs of access control: API keys, operator accounts, sign-in and the audit log.
 * The same schemas serve tRPC, the CLI and the dashboard's forms.
 */

/** Hierarchical: each role may do all that the ones before it may. */
export const ACCESS_ROLES = ['read-only', 'operator', 'admin'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

/** Whether `held` includes what `needed` may do. */
export function roleAllows(held: AccessRole, needed: AccessRole): boolean {
  return ACCESS_ROLES.indexOf(held) >= ACCESS_ROLES.indexOf(needed);
}

export const accessRoleSchema = z.enum(ACCESS_ROLES, {
  error: fieldError(`must be one of ${ACCESS_ROLES.join(', ')}`),
});

const PRINTABLE = /^[\x20-\x7e]+$/;

export const keyNameSchema = z
  .string({ error: fieldError('must be a string') })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(KEY_NAME_LENGTH_MAX, { error: `must be at most ${KEY_NAME_LENGTH_MAX} characters` })
  .regex(PRINTABLE, { error: 'must be printable ASCII' });

/** Lower-case letters, digits, `.`, `_`, `-`; starting with a letter or digit. */
export const usernameSchema = z
  .string({ error: fieldError('must be a string') })
  .min(USERNAME_LENGTH_MIN, { error: `must be at least ${USERNAME_LENGTH_MIN} characters` })
  .max(USERNAME_LENGTH_MAX, { error: `must be at most ${USERNAME_LENGTH_MAX} characters` })
  .regex(/^[a-z0-9][a-z0-9._-]*$/, {
    error: 'must be lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

/** A new password: bounded both ways (the KDF's work per attempt is bounded too). */
export const newPasswordSchema = z
  .string({ error: fieldError('must be a string') })
  .min(PASSWORD_LENGTH_MIN, { error: `must be at least ${PASSWORD_LENGTH_MIN} characters` })
  .max(PASSWORD_LENGTH_MAX, { error: `must be at most ${PASSWORD_LENGTH_MAX} characters` });

/** A password offered at sign-in: only the upper bound, so old rules never lock anyone out. */
export const passwordAttemptSchema = z
  .string({ error: fieldError('must be a string') })
  .min(1, { error: 'is required' })
  .max(PASSWORD_LENGTH_MAX, { error: `must be at most ${PASSWORD_LENGTH_MAX} characters` });

export const accessIdSchema = z.uuid({ error: fieldError('must be a UUID') });

const pageFields = {
  cursor: z
    .string({ error: fieldError('must be a string') })
    .min(1)
    .max(CURSOR_LENGTH_MAX)
    .optional(),
  limit: pageLimitSchema,
};

export const createApiKeyInput = z.strictObject({
  name: keyNameSchema,
  role: accessRoleSchema,
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const revokeApiKeyInput = z.strictObject({ id: accessIdSchema });
export type RevokeApiKeyInput = z.infer<typeof revokeApiKeyInput>;

export const listPageInput = z.strictObject(pageFields).prefault({});
export type ListPageInput = z.input<typeof listPageInput>;

export const createOperatorInput = z.strictObject({
  username: usernameSchema,
  password: newPasswordSchema,
  role: accessRoleSchema,
});
export type CreateOperatorInput = z.infer<typeof createOperatorInput>;

export const disableOperatorInput = z.strictObject({ id: accessIdSchema });
export type DisableOperatorInput = z.infer<typeof disableOperatorInput>;

export const signInInput = z.strictObject({
  username: z
    .string({ error: fieldError('must be a string') })
    .min(1, { error: 'is required' })
    .max(USERNAME_LENGTH_MAX, { error: `must be at most ${USERNAME_LENGTH_MAX} characters` }),
  password: passwordAttemptSchema,
});
export type SignInInput = z.infer<typeof signInInput>;

const auditTime = z.date({ error: fieldError('must be a date') });

/**
 * The audit log's filters: who (actor), what (action), to what (target: a wallet id,
 * `key:<id>`, `user:<id>`) and when (`from` inclusive, `to` exclusive).
 */
export const listAuditInput = z
  .strictObject({
    ...pageFields,
    actor: z.string().min(1).max(AUDIT_ACTOR_LENGTH_MAX).optional(),
    action: z.string().min(1).max(AUDIT_ACTION_LENGTH_MAX).optional(),
    target: z.string().min(1).max(AUDIT_TARGET_LENGTH_MAX).optional(),
    from: auditTime.optional(),
    to: auditTime.optional(),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    error: 'from must be earlier than to',
    path: ['to'],
  })
  .prefault({});
export type ListAuditInput = z.input<typeof listAuditInput>;

/** An API key as its holder sends it: `wlk_<id: 32 hex>_<secret: 43 base64url>`. */
export const API_KEY_PATTERN = /^wlk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

export const apiKeyTextSchema = z.string().regex(API_KEY_PATTERN, {
  error: 'must be an API key: wlk_<32 hex digits>_<43 base64url characters>',
});
