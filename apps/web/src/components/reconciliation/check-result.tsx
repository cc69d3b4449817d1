import type { ReactNode } from 'react';

import { formatCount, formatDateTime } from '~/lib/format';
import type { LedgerCheck } from '~/trpc/react';

import { Alert, Card, cx } from '../ui';
import { TotalsCard } from './totals-card';
import { ViolationsCard } from './violations-card';

/** The last check's result: its verdict and counts, the totals per currency, and the violations. */
export function CheckResult({ result, stale }: { result: LedgerCheck; stale: boolean }) {
  const count = result.violations.length;
  return (
    <div
      className={cx('space-y-6 transition-opacity', stale && 'opacity-60')}
      aria-busy={stale || undefined}
    >
      <Card
        title="Last result"
        description={
          <>
            Checked at{' '}
            <time dateTime={result.checkedAt.toISOString()} className="tabular">
              {formatDateTime(result.checkedAt)}
            </time>
            , in one snapshot of the ledger.
          </>
        }
      >
        <div className="space-y-4">
          {count === 0 ? (
            <Alert tone="success">
              <span className="font-semibold">No violations.</span> Every check holds.
            </Alert>
          ) : (
            <Alert tone="error">
              <span className="font-semibold">
                {formatCount(count)} violation{count === 1 ? '' : 's'} found.
              </span>{' '}
              The ledger does not reconcile: see each one below.
            </Alert>
          )}
          <dl className="grid grid-cols-3 gap-2 sm:gap-3">
            <Stat label="Wallets">{formatCount(result.walletCount)}</Stat>
            <Stat label="Movements">{formatCount(result.entryCount)}</Stat>
            <Stat label="Violations">{formatCount(count)}</Stat>
          </dl>
        </div>
      </Card>
      <TotalsCard totals={result.totals} />
      <ViolationsCard violations={result.violations} truncated={result.truncated} />
    </div>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-slate-100 bg-slate-50 px-3 py-2">
      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="tabular mt-0.5 text-lg font-semibold text-slate-900">{children}</dd>
    </div>
  );
}
