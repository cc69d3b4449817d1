import type { Db } from './client';
import { auditLog } from './access-schema';

/** Anything that can insert: the pool or an open transaction. */
export type Executor =
  Pick<Db, 'insert'> | Pick<Parameters<Parameters<Db['transaction']>[0]>[0], 'insert'>;

/** Who asked for a write, and under which request: recorded with it in the audit log. */
export interface WriteContext {
  /** `key:<id>`, `user:<id>`, `cli` or `system`. */
  actor: string;
  requestId?: string;
  /**
   * Whose idempotency keys the write's key is among: the authenticated principal
   * (apps/api: the API key or the operator account). One owner's keys never meet
   * another's. Absent: the actor's.
   */
  owner?: string;
}

export interface AuditRecord {
  actor: string;
  action: string;
  target?: string | null;
  outcome: 'success' | 'refused' | 'denied';
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends rows to the audit log. Called with the transaction of the change it records,
 * so a change and its record commit together or not at all.
 */
export async function recordAudit(executor: Executor, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await executor.insert(auditLog).values(
    records.map((record) => ({
      actor: record.actor,
      action: record.action,
      target: record.target ?? null,
      outcome: record.outcome,
      requestId: record.requestId ?? null,
      details: record.details ?? {},
    })),
  );
}
