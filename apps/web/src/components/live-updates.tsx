'use client';

import { useEffect, useRef } from 'react';

import { trpc } from '~/trpc/react';

import { cx } from './ui';

/**
 * Events that arrive within this window refresh the page's data once: a burst of
 * movements is one refetch, not one per event (and a refetch is never cancelled by the
 * next event before it lands).
 */
const REFRESH_COALESCE_MS = 150;

/**
 * Keeps the page's ledger data current by itself: subscribes to the API's live events
 * (events.live, server-sent events; of one wallet when `walletId` is given) and, when
 * money moves, refreshes the wallets' queries and the totals. No polling: the browser
 * holds one stream, and the API pushes. Shows whether the stream is live.
 */
export function LiveUpdates({ walletId }: { walletId?: string }) {
  const utils = trpc.useUtils();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () => () => {
      clearTimeout(pending.current);
    },
    [],
  );
  const subscription = trpc.events.live.useSubscription(
    walletId === undefined ? {} : { walletId },
    {
      onData: () => {
        if (pending.current !== undefined) return;
        pending.current = setTimeout(() => {
          pending.current = undefined;
          void utils.wallets.invalidate();
          void utils.ledger.totals.invalidate();
          void utils.audit.invalidate();
        }, REFRESH_COALESCE_MS);
      },
    },
  );
  // 'pending': connected and waiting for events. A dropped stream reconnects by itself
  // and resumes from its last event.
  const live = subscription.status === 'pending';
  return (
    <p
      className={cx(
        'inline-flex items-center gap-2 text-sm font-medium',
        live ? 'text-emerald-800' : 'text-slate-500',
      )}
      data-live={live ? 'on' : 'off'}
    >
      <span
        aria-hidden="true"
        className={cx('size-2 rounded-full', live ? 'bg-emerald-500' : 'bg-slate-300')}
      />
      {live ? 'Live updates' : 'Connecting for live updates…'}
    </p>
  );
}
