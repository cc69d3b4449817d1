'use client';

import { describeProblem } from '~/lib/errors';

import { Alert, Button } from './ui';

/** A query that failed: what could not be loaded, why in plain words, and a retry. */
export function LoadProblem({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const report = describeProblem(error, 'load');
  return (
    <div className="space-y-3">
      <Alert tone="error" detail={report.detail}>
        Could not load {what}. {report.message}
      </Alert>
      {onRetry && (
        <Button variant="secondary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
