'use client';

import { formatDateTime } from '~/lib/format';

import { LoadProblem } from '../load-problem';
import { PageHeader } from '../page-header';
import { Alert, Button, Card, Placeholder, Spinner } from '../ui';
import { CheckResult } from './check-result';
import { useLedgerCheck } from './ledger-check';

export function ReconciliationPage() {
  const check = useLedgerCheck();
  const running = check.isFetching;
  const run = () => void check.refetch();

  return (
    <div className="space-y-6">
      <PageHeader
        title="Reconciliation"
        description="Checks every promise of the ledger in one consistent snapshot. It reads the whole ledger, so it runs only when you ask."
      >
        <Button onClick={run} pending={running} pendingLabel="Checking…">
          Run check
        </Button>
      </PageHeader>

      {check.data === undefined ? (
        <Card title="Last result">
          {running ? (
            <Placeholder busy>Checking the whole ledger…</Placeholder>
          ) : check.isError ? (
            <LoadProblem what="the check’s result" error={check.error} onRetry={run} />
          ) : (
            <Placeholder>
              No check has run in this session yet. Run one to see whether the ledger reconciles.
            </Placeholder>
          )}
        </Card>
      ) : (
        <>
          {(running || check.isError) && (
            <div className="space-y-3">
              {running ? (
                <Alert tone="info">
                  <span className="flex items-center gap-2">
                    <Spinner />
                    <span>
                      Checking the whole ledger again… The result below is from{' '}
                      {formatDateTime(check.data.checkedAt)}.
                    </span>
                  </span>
                </Alert>
              ) : (
                <>
                  <LoadProblem what="a new result" error={check.error} onRetry={run} />
                  <p className="text-sm text-slate-600">
                    The result below is from the check at {formatDateTime(check.data.checkedAt)}.
                  </p>
                </>
              )}
            </div>
          )}
          <CheckResult result={check.data} stale={running} />
        </>
      )}
    </div>
  );
}
