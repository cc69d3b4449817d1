'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from '@wallet/contract';
import { useId, useState } from 'react';

import { trpc } from '~/trpc/react';

import { PagedTable } from '../paged-table';
import { useCursorPages } from '../pager';
import { Card, cx, inputClass } from '../ui';
import { DELIVERY_COLUMNS, DeliveryRow } from './delivery-row';

/** How many deliveries a page of the table shows. */
const DELIVERIES_PAGE_SIZE = 20;
/** Attempts happen in the background: the page asks for news this often. */
const DELIVERIES_REFRESH_MS = 2_000;

const STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  pending: 'Pending or retrying',
  succeeded: 'Delivered',
  failed: 'Failed',
};

/** The endpoint's deliveries, newest first, a page at a time as the API pages them. */
export function DeliveriesCard({ webhookId }: { webhookId: string }) {
  const filterId = useId();
  const [status, setStatus] = useState<WebhookDeliveryStatus | undefined>();
  const pages = useCursorPages();
  const utils = trpc.useUtils();
  const deliveries = trpc.webhooks.deliveries.useQuery(
    { webhookId, limit: DELIVERIES_PAGE_SIZE, cursor: pages.cursor, status },
    { placeholderData: keepPreviousData, refetchInterval: DELIVERIES_REFRESH_MS },
  );

  const filter = (
    <div className="flex items-center gap-2">
      <label htmlFor={filterId} className="text-sm font-medium text-slate-700">
        Status
      </label>
      <select
        id={filterId}
        value={status ?? ''}
        onChange={(event) => {
          const chosen = WEBHOOK_DELIVERY_STATUSES.find((s) => s === event.target.value);
          setStatus(chosen);
          pages.reset();
        }}
        className={cx(inputClass, 'w-auto py-1.5')}
      >
        <option value="">All deliveries</option>
        {WEBHOOK_DELIVERY_STATUSES.map((option) => (
          <option key={option} value={option}>
            {STATUS_LABELS[option]}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <Card
      title="Deliveries"
      description="One per event and endpoint, newest first: the last attempt's response code and latency, and when the next one is due."
      actions={filter}
    >
      <PagedTable
        query={deliveries}
        pages={pages}
        what="the deliveries"
        loading="Loading deliveries…"
        empty={
          status
            ? 'No delivery has this status.'
            : 'No deliveries yet: they appear as the chosen events happen.'
        }
        caption="Deliveries of this endpoint, newest first"
        columns={DELIVERY_COLUMNS}
        className="min-w-[56rem]"
        pagerLabel="Delivery pages"
        fetching={deliveries.isFetching && deliveries.isPlaceholderData}
        busy={deliveries.isPlaceholderData}
      >
        {(items) =>
          items.map((delivery) => (
            <DeliveryRow
              key={delivery.id}
              webhookId={webhookId}
              delivery={delivery}
              onRetried={() => utils.webhooks.deliveries.invalidate({ webhookId })}
            />
          ))
        }
      </PagedTable>
    </Card>
  );
}
