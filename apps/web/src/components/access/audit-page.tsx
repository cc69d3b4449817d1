'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';

import { formatDateTime } from '~/lib/format';
import { trpc, type AuditItem } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { PageHeader } from '../page-header';
import { useCursorPages } from '../pager';
import { Badge, Button, Card, Field, inputClass, type BadgeTone } from '../ui';

const PAGE_SIZE = 50;

const COLUMNS: Column[] = [
  { label: 'When' },
  { label: 'Actor' },
  { label: 'Action' },
  { label: 'Target', wideOnly: true },
  { label: 'Outcome' },
  { label: 'Request', wideOnly: true },
];

const OUTCOME_TONES: Record<AuditItem['outcome'], BadgeTone> = {
  success: 'emerald',
  refused: 'amber',
  denied: 'red',
};

export function AuditPage() {
  const id = useId();
  const pages = useCursorPages();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [filters, setFilters] = useState<{ actor?: string; action?: string }>({});
  const list = trpc.audit.list.useQuery(
    { limit: PAGE_SIZE, cursor: pages.cursor, ...filters },
    { placeholderData: keepPreviousData },
  );

  function onFilter(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    pages.reset();
    setFilters({
      ...(actor.trim() ? { actor: actor.trim() } : {}),
      ...(action.trim() ? { action: action.trim() } : {}),
    });
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Who did what, and when: every write, sign-in and change of keys and operators. Append-only."
      />
      <Card title="Entries" description="Newest first.">
        <form onSubmit={onFilter} className="mb-4 flex flex-wrap items-end gap-3">
          <Field id={`${id}-actor`} label="Actor" className="min-w-48 flex-1">
            <input
              id={`${id}-actor`}
              placeholder="key:… or user:…"
              value={actor}
              onChange={(event) => {
                setActor(event.target.value);
              }}
              className={inputClass}
            />
          </Field>
          <Field id={`${id}-action`} label="Action" className="min-w-48 flex-1">
            <input
              id={`${id}-action`}
              placeholder="wallets.fund"
              value={action}
              onChange={(event) => {
                setAction(event.target.value);
              }}
              className={inputClass}
            />
          </Field>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </form>
        <PagedTable
          query={list}
          pages={pages}
          what="the audit log"
          loading="Loading the audit log…"
          empty={`Nothing recorded${filters.actor || filters.action ? ' for this filter' : ''}.`}
          caption="Audit log, newest first"
          columns={COLUMNS}
          className="min-w-[48rem]"
          pagerLabel="Audit log pages"
          fetching={list.isFetching}
          busy={list.isFetching}
        >
          {(items) =>
            items.map((entry) => (
              <tr key={entry.id} data-audit-id={entry.id} className="hover:bg-slate-50">
                <td className="px-4 py-2.5 whitespace-nowrap sm:px-5">
                  {formatDateTime(entry.at)}
                </td>
                <td className="px-3 py-2.5 font-mono text-xs">{entry.actor}</td>
                <td className="px-3 py-2.5 font-mono text-xs">{entry.action}</td>
                <td className="hidden px-3 py-2.5 font-mono text-xs break-all sm:table-cell">
                  {entry.target ?? '—'}
                </td>
                <td className="px-3 py-2.5">
                  <Badge tone={OUTCOME_TONES[entry.outcome]}>{entry.outcome}</Badge>
                </td>
                <td className="hidden px-4 py-2.5 font-mono text-xs break-all sm:table-cell sm:px-5">
                  {entry.requestId ?? '—'}
                </td>
              </tr>
            ))
          }
        </PagedTable>
      </Card>
    </div>
  );
}
