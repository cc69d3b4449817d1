'use client';

import Link from 'next/link';

import { formatDateTime } from '~/lib/format';
import { trpc, type WebhookItem } from '~/trpc/react';

import { AdminOnly } from '../access/admin-only';
import { LoadProblem } from '../load-problem';
import { PageHeader } from '../page-header';
import { Card, Placeholder } from '../ui';
import { DeliveriesCard } from './deliveries-card';
import { EndpointActions } from './endpoint-actions';
import { SecretState } from './secret-state';

const BACK_LINK_CLASS = 'font-semibold text-indigo-700 hover:underline';

export function WebhookDetail({ webhookId }: { webhookId: string }) {
  return (
    <AdminOnly>
      <EndpointView webhookId={webhookId} />
    </AdminOnly>
  );
}

/** The endpoint from the list (the API has no single-endpoint read; the list is bounded). */
function EndpointView({ webhookId }: { webhookId: string }) {
  const list = trpc.webhooks.list.useQuery();
  if (list.isError) {
    return (
      <LoadProblem what="the endpoint" error={list.error} onRetry={() => void list.refetch()} />
    );
  }
  if (list.isPending) return <Placeholder busy>Loading the endpoint…</Placeholder>;
  const webhook = list.data.find((candidate) => candidate.id === webhookId);
  if (!webhook) {
    return (
      <div className="space-y-4">
        <PageHeader title="No such endpoint" />
        <p className="text-slate-600">
          No webhook endpoint has this id (it may have been deleted).{' '}
          <Link href="/webhooks" className={BACK_LINK_CLASS}>
            Back to the webhooks
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <PageHeader
        title={<span className="break-all">{webhook.url}</span>}
        description={webhook.description ?? undefined}
      >
        <Link href="/webhooks" className={BACK_LINK_CLASS}>
          All endpoints
        </Link>
      </PageHeader>
      <EndpointCard webhook={webhook} />
      <DeliveriesCard webhookId={webhook.id} />
    </div>
  );
}

function EndpointCard({ webhook }: { webhook: WebhookItem }) {
  return (
    <Card title="Endpoint" description="What it receives and how its deliveries are signed.">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
        <Fact term="Events">
          <span className="font-mono text-xs">{webhook.events.join(', ')}</span>
        </Fact>
        <Fact term="Created">{formatDateTime(webhook.createdAt)}</Fact>
        <Fact term="Signing secret">
          <SecretState previousSecretExpiresAt={webhook.previousSecretExpiresAt} />
        </Fact>
      </dl>
      <div className="mt-4 border-t border-slate-100 pt-4">
        <EndpointActions webhookId={webhook.id} />
      </div>
    </Card>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{term}</dt>
      <dd className="mt-1 text-slate-900">{children}</dd>
    </div>
  );
}
