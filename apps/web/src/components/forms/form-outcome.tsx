import type { ReactNode } from 'react';

import type { ProblemReport } from '~/lib/errors';

import { Alert } from '../ui';

/** What the last submission ended in: the problem (role alert) or the success (role status). */
export function FormOutcome({
  problem,
  done,
}: {
  problem: ProblemReport | undefined;
  done: ReactNode;
}) {
  return (
    <>
      {problem && (
        <Alert tone="error" detail={problem.detail}>
          {problem.message}
        </Alert>
      )}
      {done && <Alert tone="success">{done}</Alert>}
    </>
  );
}
