'use client';

import { formatDateTime } from '~/lib/format';
import { describeWebhookProblem } from '~/lib/webhook-errors';
import { trpc, type WebhookDeliveryItem } from '~/trpc/react';

import { type Column } from '../data-table';
import { Badge, Button, type BadgeTone } from '../ui';

export const DELIVERY_COLUMNS: Column[] = [
  { label: 'Event' },
  { label: 'Status' },
  { label: 'Attempts', align: 'right' },
  { label: 'Response', align: 'right' },
  { label: 'Latency', align: 'right' },
  { label: 'Last attempt', wideOnly: true },
  { label: 'Next attempt', wideOnly: true },
  { label: 'Action', align: 'right' },
];

/** The status in words: a pending delivery that was already tried is being retried. */
function statusOf(delivery: WebhookDeliveryItem): { label: string; tone: BadgeTone } {
  if (delivery.status === 'succeeded') return { label: 'delivered', tone: 'emerald' };
  if (delivery.status === 'failed') return { label: 'failed', tone: 'red' };
  return delivery.attempts > 0
    ? { label: 'retrying', tone: 'amber' }
    : { label: 'pending', tone: 'sky' };
}

/** One delivery of an event to the endpoint, with its last attempt's outcome and a Retry. */
export function DeliveryRow({
  webhookId,
  delivery,
  onRetried,
}: {
  webhookId: string;
  delivery: WebhookDeliveryItem;
  onRetried: () => Promise<unknown>;
}) {
  const retry = trpc.webhooks.retry.useMutation();
  const status = statusOf(delivery);
  const problem = retry.isError ? describeWebhookProblem(retry.error, 'create') : undefined;
  return (
    <tr data-delivery-id={delivery.id} className="align-top hover:bg-slate-50">
      <td className="px-4 py-2.5 sm:px-5">
        <div className="font-mono text-xs">{delivery.eventType}</div>
        <div className="font-mono text-xs break-all text-slate-500" title="webhook-id">
          {delivery.eventId}
        </div>
      </td>
      <td className="px-3 py-2.5">
        <Badge tone={status.tone}>{status.label}</Badge>
        {delivery.lastError && (
          <div className="mt-1 max-w-56 text-xs break-words text-red-700">{delivery.lastError}</div>
        )}
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums" data-testid="delivery-attempts">
        {delivery.attempts}
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums" data-testid="delivery-response">
        {delivery.lastResponseCode ?? '—'}
      </td>
      <td
        className="px-3 py-2.5 text-right whitespace-nowrap tabular-nums"
        data-testid="delivery-latency"
      >
        {delivery.lastLatencyMs === null ? '—' : `${delivery.lastLatencyMs} ms`}
      </td>
      <td
        className="hidden px-3 py-2.5 whitespace-nowrap sm:table-cell"
        data-testid="delivery-last-attempt"
      >
        {delivery.lastAttemptAt ? formatDateTime(delivery.lastAttemptAt) : '—'}
      </td>
      <td className="hidden px-3 py-2.5 whitespace-nowrap sm:table-cell">
        {delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : '—'}
      </td>
      <td className="px-4 py-2.5 text-right sm:px-5">
        <Button
          variant="secondary"
          aria-label={`Retry delivery of ${delivery.eventType} ${delivery.eventId}`}
          pending={retry.isPending}
          pendingLabel="Retrying…"
          onClick={() => {
            void retry
              .mutateAsync({ webhookId, deliveryId: delivery.id })
              .then(onRetried, () => undefined);
          }}
        >
          Retry
        </Button>
        <div aria-live="polite" className="mt-1 max-w-48 text-xs empty:hidden">
          {retry.isSuccess && <span className="text-emerald-700">Attempt queued.</span>}
          {problem && (
            <span role="alert" className="text-red-700">
              {problem.message}
            </span>
          )}
        </div>
      </td>
    </tr>
  );
}
