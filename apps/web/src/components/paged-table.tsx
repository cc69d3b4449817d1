'use client';

import type { ReactNode } from 'react';

import { DataTable, type Column } from './data-table';
import { LoadProblem } from './load-problem';
import { Pager, type useCursorPages } from './pager';
import { Placeholder } from './ui';

/** What a paged list query gives a table (a tRPC `useQuery` result fits). */
interface PagedQuery<Item> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: { items: Item[]; nextCursor: string | null } | undefined;
  refetch: () => unknown;
}

/**
 * One page of a cursor-paged list: loading, a load problem with a retry, an empty state,
 * or the table and its pager. Every list of the dashboard shows its pages this way.
 */
export function PagedTable<Item>({
  query,
  pages,
  what,
  loading,
  empty,
  caption,
  columns,
  className,
  pagerLabel,
  fetching,
  busy,
  children,
}: {
  query: PagedQuery<Item>;
  pages: ReturnType<typeof useCursorPages>;
  /** "the wallets": what failed to load. */
  what: string;
  loading: string;
  /** Shown instead of an empty table; without it an empty table is shown. */
  empty?: ReactNode;
  caption: string;
  columns: readonly Column[];
  className: string;
  pagerLabel: string;
  /** Another page is on its way: the pager waits. */
  fetching: boolean;
  /** Dims the table meanwhile. */
  busy?: boolean;
  children: (items: Item[]) => ReactNode;
}) {
  if (query.isError) {
    return <LoadProblem what={what} error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (query.isPending || !query.data) return <Placeholder busy>{loading}</Placeholder>;
  const { items, nextCursor } = query.data;
  if (items.length === 0 && empty !== undefined) return <Placeholder>{empty}</Placeholder>;
  return (
    <>
      <DataTable caption={caption} columns={columns} className={className} busy={busy}>
        {children(items)}
      </DataTable>
      <Pager
        label={pagerLabel}
        page={pages.page}
        nextCursor={nextCursor}
        fetching={fetching}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </>
  );
}
