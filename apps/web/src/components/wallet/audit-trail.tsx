'use client';

import { roleAllows } from '@wallet/contract';
import { keepPreviousData } from '@tanstack/react-query';

import { trpc } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { AuditRow } from '../access/audit-row';
import { useCursorPages } from '../pager';
import { Card } from '../ui';

const PAGE_SIZE = 20;

const COLUMNS: Column[] = [
  { label: 'When' },
  { label: 'Who' },
  { label: 'Action' },
  { label: 'Outcome' },
  { label: 'Request', wideOnly: true },
];

/**
 * Who touched this wallet: the audit rows whose target is it (its creation, its fundings,
 * the transfers it sent, refusals included), newest first, by the audit log's
 * (target, id) index. The audit log is an operator's page, so a read-only session sees
 * a line saying so instead of a refusal.
 */
export function AuditTrail({ walletId }: { walletId: string }) {
  const session = trpc.auth.session.useQuery(undefined, { retry: false });
  const allowed = session.data ? roleAllows(session.data.role, 'operator') : false;
  const pages = useCursorPages();
  const trail = trpc.audit.list.useQuery(
    { limit: PAGE_SIZE, cursor: pages.cursor, target: walletId },
    { enabled: allowed, placeholderData: keepPreviousData },
  );

  return (
    <Card
      title="Audit trail"
      description="Who did what to this wallet, from which API key or operator. Newest first."
    >
      {!allowed ? (
        <p className="text-sm text-slate-600">
          {session.isPending ? 'Checking your role…' : 'The audit trail needs the operator role.'}
        </p>
      ) : (
        <PagedTable
          query={trail}
          pages={pages}
          what="the audit trail"
          loading="Loading the audit trail…"
          empty="Nothing recorded for this wallet yet."
          caption="Audit trail of this wallet, newest first"
          columns={COLUMNS}
          className="min-w-[40rem]"
          pagerLabel="Audit trail pages"
          fetching={trail.isFetching}
          busy={trail.isFetching}
        >
          {(items) =>
            items.map((entry) => <AuditRow key={entry.id} entry={entry} withTarget={false} />)
          }
        </PagedTable>
      )}
    </Card>
  );
}
