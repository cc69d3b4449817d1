'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';

import { trpc } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { PageHeader } from '../page-header';
import { useCursorPages } from '../pager';
import { Button, Card, Field, inputClass } from '../ui';
import { AuditRow } from './audit-row';

const PAGE_SIZE = 50;

const COLUMNS: Column[] = [
  { label: 'When' },
  { label: 'Actor' },
  { label: 'Action' },
  { label: 'Target', wideOnly: true },
  { label: 'Outcome' },
  { label: 'Request', wideOnly: true },
];

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
            items.map((entry) => <AuditRow key={entry.id} entry={entry} withTarget={true} />)
          }
        </PagedTable>
      </Card>
    </div>
  );
}
