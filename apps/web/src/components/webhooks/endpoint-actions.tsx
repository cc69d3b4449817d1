'use client';

import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';

import { describeWebhookProblem } from '~/lib/webhook-errors';
import { trpc } from '~/trpc/react';

import { ConfirmAction } from '../confirm-action';
import { FormOutcome } from '../forms/form-outcome';
import type { ProblemReport } from '~/lib/errors';
import { SecretOnce } from './secret-once';

/**
 * Rotate the signing secret (the new one shown once; the old one signs beside it for the
 * grace window) or delete the endpoint (its pending deliveries fail). Both ask first.
 */
export function EndpointActions({ webhookId }: { webhookId: string }) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const rotate = trpc.webhooks.rotateSecret.useMutation();
  const remove = trpc.webhooks.delete.useMutation();
  const [problem, setProblem] = useState<ProblemReport>();
  const [done, setDone] = useState<ReactNode>();

  async function run<Result>(work: () => Promise<Result>, succeeded: (result: Result) => void) {
    setProblem(undefined);
    setDone(undefined);
    try {
      succeeded(await work());
    } catch (error) {
      setProblem(describeWebhookProblem(error, 'create'));
    } finally {
      await utils.webhooks.list.invalidate();
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <ConfirmAction
          action="Rotate secret"
          question="Make a new signing secret? The old one keeps signing beside it for a grace window, so receivers can switch."
          confirmLabel="Confirm rotation"
          pendingLabel="Rotating…"
          pending={rotate.isPending}
          onConfirm={() =>
            run(
              () => rotate.mutateAsync({ webhookId }),
              (rotated) => {
                setDone(
                  <SecretOnce
                    lead="Secret rotated. The new signing secret:"
                    secret={rotated.secret}
                  />,
                );
              },
            )
          }
        />
        <ConfirmAction
          action="Delete endpoint"
          question="Delete this endpoint? Nothing more is sent to it and its pending deliveries are marked failed."
          confirmLabel="Confirm delete"
          pendingLabel="Deleting…"
          pending={remove.isPending}
          onConfirm={() =>
            run(
              () => remove.mutateAsync({ webhookId }),
              () => {
                router.push('/webhooks');
              },
            )
          }
        />
      </div>
      <div className="space-y-2 empty:hidden">
        <FormOutcome problem={problem} done={done} />
      </div>
    </div>
  );
}
