'use client';

import Link from 'next/link';

import { formatCount, formatDateTime, formatTimeOfDay } from '~/lib/format';

import { cx } from '../ui';
import { useLedgerCheck } from './ledger-check';

/**
 * The outcome of the last ledger check run in this session, read from the query cache
 * (this never runs the check), linking to the reconciliation page; nothing if none ran.
 */
export function LastCheckStatus() {
  const check = useLedgerCheck();
  if (!check.data) return null;
  const { checkedAt, violations } = check.data;
  const count = violations.length;
  return (
    <p className="text-sm">
      <Link
        href="/reconciliation"
        className={cx(
          'inline-flex items-center gap-2 rounded-sm py-1 font-medium hover:underline',
          count === 0 ? 'text-emerald-800' : 'text-red-800',
        )}
      >
        <span
          aria-hidden="true"
          className={cx('size-2 rounded-full', count === 0 ? 'bg-emerald-500' : 'bg-red-500')}
        />
        <span>
          Last check{' '}
          <time dateTime={checkedAt.toISOString()} title={formatDateTime(checkedAt)}>
            {formatTimeOfDay(checkedAt)}
          </time>
          :{' '}
          {count === 0
            ? 'no violations'
            : `${formatCount(count)} violation${count === 1 ? '' : 's'}`}
        </span>
      </Link>
    </p>
  );
}
