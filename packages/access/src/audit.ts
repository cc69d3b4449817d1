import { listAuditInput, type ListAuditInput } from '@wallet/contract';
import { schema, type Db } from '@wallet/db';
import { and, desc, eq, gte, lt } from 'drizzle-orm';

import { InvalidAccessInputError } from './errors';
import { pageOf, parseInput } from './input';
import type { AuditEntry, Page } from './types';

const { auditLog } = schema;

/**
 * The audit log, newest first, by keyset on its id; filtered by actor, action, target
 * (a wallet's trail: the (target, id) index) and time (`from` ≤ at < `to`: the index on at).
 */
export async function listAudit(db: Db, input: ListAuditInput): Promise<Page<AuditEntry>> {
  const request = parseInput(listAuditInput, input);
  let cursor: number | undefined;
  if (request.cursor !== undefined) {
    cursor = /^[1-9][0-9]{0,15}$/.test(request.cursor) ? Number(request.cursor) : undefined;
    if (cursor === undefined) throw new InvalidAccessInputError('cursor is not valid');
  }
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        cursor === undefined ? undefined : lt(auditLog.id, cursor),
        request.actor === undefined ? undefined : eq(auditLog.actor, request.actor),
        request.action === undefined ? undefined : eq(auditLog.action, request.action),
        request.target === undefined ? undefined : eq(auditLog.target, request.target),
        request.from === undefined ? undefined : gte(auditLog.at, request.from),
        request.to === undefined ? undefined : lt(auditLog.at, request.to),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(request.limit + 1);
  const entries = rows.map((row): AuditEntry => ({
    id: String(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    requestId: row.requestId,
    details: row.details as Record<string, unknown>,
  }));
  return pageOf(entries, request.limit, (entry) => entry.id);
}
