'use client';

import Link from 'next/link';

import { formatDateTime } from '~/lib/format';
import { trpc, type WebhookItem } from '~/trpc/react';

import { DataTable, type Column } from '../data-table';
import { LoadProblem } from '../load-problem';
import { Card, Placeholder } from '../ui';
import { SecretState } from './secret-state';

const ENDPOINT_COLUMNS: Column[] = [
  { label: 'URL' },
  { label: 'Events' },
  { label: 'Description', wideOnly: true },
  { label: 'Created', wideOnly: true },
  { label: 'Signing secret' },
];

/** Every endpoint (the API lists them all: at most WEBHOOK_ENDPOINTS_MAX), newest first. */
export function EndpointsCard() {
  const list = trpc.webhooks.list.useQuery();
  return (
    <Card
      title="Endpoints"
      description="Open one to see its deliveries, retry them, rotate its secret or delete it."
    >
      {list.isError ? (
        <LoadProblem what="the endpoints" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Placeholder busy>Loading endpoints…</Placeholder>
      ) : list.data.length === 0 ? (
        <Placeholder>No endpoints yet. Create one above.</Placeholder>
      ) : (
        <DataTable
          caption="Webhook endpoints, newest first"
          columns={ENDPOINT_COLUMNS}
          className="min-w-[40rem]"
        >
          {list.data.map((webhook) => (
            <EndpointRow key={webhook.id} webhook={webhook} />
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function EndpointRow({ webhook }: { webhook: WebhookItem }) {
  return (
    <tr data-webhook-id={webhook.id} className="hover:bg-slate-50">
      <td className="max-w-72 px-4 py-2.5 break-all sm:px-5">
        <Link
          href={`/webhooks/${webhook.id}`}
          className="font-medium text-indigo-700 hover:underline"
        >
          {webhook.url}
        </Link>
      </td>
      <td className="px-3 py-2.5 font-mono text-xs">{webhook.events.join(', ')}</td>
      <td className="hidden px-3 py-2.5 sm:table-cell">{webhook.description ?? '—'}</td>
      <td className="hidden px-3 py-2.5 whitespace-nowrap sm:table-cell">
        {formatDateTime(webhook.createdAt)}
      </td>
      <td className="px-4 py-2.5 sm:px-5">
        <SecretState previousSecretExpiresAt={webhook.previousSecretExpiresAt} />
      </td>
    </tr>
  );
}
