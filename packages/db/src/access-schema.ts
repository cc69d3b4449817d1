import { ACCESS_ROLES } from '@wallet/contract';
import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Who may do what, and what they did: API keys, operator accounts, dashboard sessions and
 * the append-only audit log (a trigger in migration 0003 refuses UPDATE, DELETE and
 * TRUNCATE on it). The length bounds repeat those of @wallet/contract's limits, so the
 * database refuses what the schemas would, even from a wrong program.
 */

/** Hierarchical: read-only ⊂ operator ⊂ admin. */
export const accessRole = pgEnum('access_role', ACCESS_ROLES);
export const auditOutcome = pgEnum('audit_outcome', ['success', 'refused', 'denied']);

const timestamptz = (name: string) =>
  timestamp(name, { withTimezone: true, mode: 'date', precision: 6 });

/** Who did it: `key:<uuid>`, `user:<uuid>`, `cli`, `system` or `anonymous`. */
export const ACTOR_PATTERN = sql.raw(
  `'^(key:[0-9a-f-]{36}|user:[0-9a-f-]{36}|cli|system|anonymous)$'`,
);

export const apiKeys = pgTable(
  'api_keys',
  {
    /** UUIDv7; also written in the key itself (`wlk_<id>_<secret>`), so lookup is by id. */
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    role: accessRole('role').notNull(),
    /** SHA-256 of the secret part, lower-case hex. The secret itself is never stored. */
    secretHash: char('secret_hash', { length: 64 }).notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    revokedAt: timestamptz('revoked_at'),
    lastUsedAt: timestamptz('last_used_at'),
  },
  (t) => [
    check('api_keys_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 64`),
    check('api_keys_secret_hash_hex', sql`${t.secretHash} ~ '^[0-9a-f]{64}$'`),
    check('api_keys_created_by_actor', sql`${t.createdBy} ~ ${ACTOR_PATTERN}`),
    check(
      'api_keys_revoked_after_created',
      sql`${t.revokedAt} IS NULL OR ${t.revokedAt} >= ${t.createdAt}`,
    ),
  ],
);

export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey(),
    username: text('username').notNull(),
    /** A PHC string (`$argon2id$…`): algorithm, parameters, salt and hash. */
    passwordHash: text('password_hash').notNull(),
    role: accessRole('role').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    disabledAt: timestamptz('disabled_at'),
  },
  (t) => [
    unique('operators_username_unique').on(t.username),
    check('operators_username_format', sql`${t.username} ~ '^[a-z0-9][a-z0-9._-]{1,63}$'`),
    check(
      'operators_password_hash_phc',
      sql`${t.passwordHash} ~ '^\\$[a-z0-9-]+\\$' AND char_length(${t.passwordHash}) BETWEEN 32 AND 512`,
    ),
    check('operators_created_by_actor', sql`${t.createdBy} ~ ${ACTOR_PATTERN}`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 (hex) of the cookie's token: a stolen table holds no usable session. */
    id: char('id', { length: 64 }).primaryKey(),
    operatorId: uuid('operator_id').notNull(),
    /** The per-session token cookie-authenticated writes must echo in X-CSRF-Token. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    foreignKey({
      name: 'sessions_operator_fk',
      columns: [t.operatorId],
      foreignColumns: [operators.id],
    }),
    check('sessions_id_hex', sql`${t.id} ~ '^[0-9a-f]{64}$'`),
    check('sessions_csrf_token_length', sql`char_length(${t.csrfToken}) BETWEEN 32 AND 128`),
    check('sessions_expiry_after_creation', sql`${t.expiresAt} > ${t.createdAt}`),
    index('sessions_operator_idx').on(t.operatorId),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: timestamptz('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    /** `wallets.fund`, `keys.revoke`, `auth.signIn`… */
    action: text('action').notNull(),
    /** What it was done to: a wallet id, `key:<id>`, `user:<id>`; null when nothing exists yet. */
    target: text('target'),
    outcome: auditOutcome('outcome').notNull(),
    requestId: text('request_id'),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [
    check('audit_log_actor_format', sql`${t.actor} ~ ${ACTOR_PATTERN}`),
    check(
      'audit_log_action_format',
      sql`${t.action} ~ '^[a-z][A-Za-z]{0,31}(\\.[a-z][A-Za-z]{0,31}){1,2}$'`,
    ),
    check('audit_log_target_length', sql`char_length(${t.target}) BETWEEN 1 AND 200`),
    check('audit_log_request_id_length', sql`char_length(${t.requestId}) BETWEEN 1 AND 128`),
    check(
      'audit_log_details_object',
      sql`jsonb_typeof(${t.details}) = 'object' AND octet_length(${t.details}::text) <= 4096`,
    ),
    index('audit_log_actor_id_idx').on(t.actor, t.id),
    index('audit_log_action_id_idx').on(t.action, t.id),
    // "Who touched this wallet": a target's rows, newest first (a wallet page's trail).
    index('audit_log_target_id_idx').on(t.target, t.id),
    // A time range of the whole log.
    index('audit_log_at_idx').on(t.at),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type OperatorRow = typeof operators.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;

/**
 * Rate-limit counters, shared by every API process: one row per limited key (an API
 * key, a client address, a sign-in name) and its current fixed window. UNLOGGED (made so
 * by its migration): counters need no crash safety, and a table outside the WAL makes
 * each increment cheap (no flush at commit). A crash empties it, which only forgives.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').primaryKey(),
    windowStartedAt: timestamptz('window_started_at').notNull(),
    windowMs: integer('window_ms').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    check('rate_limit_counters_key_length', sql`char_length(${t.key}) BETWEEN 1 AND 300`),
    check('rate_limit_counters_window_positive', sql`${t.windowMs} > 0`),
    check('rate_limit_counters_count_positive', sql`${t.count} > 0`),
  ],
);
