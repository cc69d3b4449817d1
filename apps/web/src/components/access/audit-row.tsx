import { formatDateTime } from '~/lib/format';
import type { AuditItem } from '~/trpc/react';

import { Badge, type BadgeTone } from '../ui';

const OUTCOME_TONES: Record<AuditItem['outcome'], BadgeTone> = {
  success: 'emerald',
  refused: 'amber',
  denied: 'red',
};

/**
 * One audit entry as a table row: the audit log's page and a wallet's trail show the same
 * columns, the trail without the target (it is the wallet).
 */
export function AuditRow({ entry, withTarget }: { entry: AuditItem; withTarget: boolean }) {
  return (
    <tr data-audit-id={entry.id} className="hover:bg-slate-50">
      <td className="px-4 py-2.5 whitespace-nowrap sm:px-5">{formatDateTime(entry.at)}</td>
      <td className="px-3 py-2.5 font-mono text-xs">{entry.actor}</td>
      <td className="px-3 py-2.5 font-mono text-xs">{entry.action}</td>
      {withTarget ? (
        <td className="hidden px-3 py-2.5 font-mono text-xs break-all sm:table-cell">
          {entry.target ?? '—'}
        </td>
      ) : null}
      <td className="px-3 py-2.5">
        <Badge tone={OUTCOME_TONES[entry.outcome]}>{entry.outcome}</Badge>
      </td>
      <td className="hidden px-4 py-2.5 font-mono text-xs break-all sm:table-cell sm:px-5">
        {entry.requestId ?? '—'}
      </td>
    </tr>
  );
}
