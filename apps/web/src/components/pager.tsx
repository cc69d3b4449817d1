'use client';

import { useState } from 'react';

import { Button, Spinner } from './ui';

/**
 * Cursor pagination state: the cursors of the pages seen so far, so "Previous" goes back
 * exactly and "Next" follows the API's nextCursor. `reset` returns to the first page.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length;
  return {
    cursor: cursors[cursors.length - 1],
    page,
    next: (cursor: string) => {
      setCursors((previous) => [...previous, cursor]);
    },
    previous: () => {
      setCursors((previous) => (previous.length > 1 ? previous.slice(0, -1) : previous));
    },
    reset: () => {
      setCursors([undefined]);
    },
  };
}

export function Pager({
  label,
  page,
  nextCursor,
  fetching,
  onPrevious,
  onNext,
}: {
  label: string;
  page: number;
  nextCursor: string | null | undefined;
  fetching: boolean;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  if (page === 1 && !nextCursor) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-3 pt-3">
      <Button variant="secondary" disabled={page === 1 || fetching} onClick={onPrevious}>
        Previous
      </Button>
      <span className="flex items-center gap-2 text-sm text-slate-600" aria-live="polite">
        {fetching && <Spinner className="text-indigo-600" />}
        Page {page}
      </span>
      <Button
        variant="secondary"
        disabled={!nextCursor || fetching}
        onClick={() => {
          if (nextCursor) onNext(nextCursor);
        }}
      >
        Next
      </Button>
    </nav>
  );
}
