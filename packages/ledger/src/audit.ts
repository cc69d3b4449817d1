import type { AuditRecord, WriteContext } from '@wallet/db';

import type { LedgerError } from './errors';

/** The ledger's writes, as the audit log names them. */
export type LedgerWriteAction =
  | 'wallets.create'
  | 'wallets.update'
  | 'wallets.fund'
  | 'wallets.transfer'
  | 'wallets.withdraw'
  | 'holds.place'
  | 'holds.capture'
  | 'holds.void'
  | 'transactions.reverse';

/** The audit row of a write that succeeded; written in the write's own transaction. */
export function auditOfWrite(
  context: WriteContext,
  action: LedgerWriteAction,
  target: string,
  details: Record<string, unknown>,
): AuditRecord {
  const { actor, requestId } = context;
  return { actor, requestId, action, target, outcome: 'success', details };
}

/** The audit row of a write the ledger refused (nothing was written). */
export function auditOfRefusal(
  context: WriteContext,
  action: LedgerWriteAction,
  target: string | null,
  error: LedgerError,
): AuditRecord {
  return {
    actor: context.actor,
    requestId: context.requestId,
    action,
    target,
    outcome: 'refused',
    details: { code: error.code, ...error.details },
  };
}
