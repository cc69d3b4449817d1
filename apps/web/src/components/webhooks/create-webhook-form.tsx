'use client';

import { createWebhookInput, WEBHOOK_ALL_EVENTS } from '@wallet/contract';

import { optionalText } from '~/lib/forms';
import { useZodForm } from '~/lib/use-zod-form';
import { describeWebhookProblem } from '~/lib/webhook-errors';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { TextField } from '../forms/text-field';
import { Button, Card } from '../ui';
import { EventTypesField, type WebhookEventChoice } from './event-types-field';
import { SecretOnce } from './secret-once';

interface WebhookFields {
  url: string;
  events: WebhookEventChoice[];
  description: string;
}

const NO_WEBHOOK: WebhookFields = { url: '', events: [], description: '' };

/**
 * A new endpoint: its URL, the event types it gets and a description, validated by the
 * contract's one schema (as tRPC and REST validate). The signing secret is shown once, here.
 */
export function CreateWebhookForm() {
  const utils = trpc.useUtils();
  const create = trpc.webhooks.create.useMutation();
  const form = useZodForm({
    schema: createWebhookInput,
    initial: NO_WEBHOOK,
    mutation: create,
    operation: 'create',
    toInput: ({ url, events, description }: WebhookFields) => ({
      url: url.trim(),
      // `*` covers every type: the others chosen beside it add nothing.
      events: events.includes(WEBHOOK_ALL_EVENTS) ? [WEBHOOK_ALL_EVENTS] : events,
      description: optionalText(description),
    }),
    describe: (error) => describeWebhookProblem(error, 'create'),
    succeeded: (created) => (
      <SecretOnce
        lead={`Endpoint created for ${created.webhook.url}. Its signing secret:`}
        secret={created.secret}
      />
    ),
    clearOnSuccess: ['url', 'events', 'description'],
    settled: () => utils.webhooks.list.invalidate(),
  });
  const { id, errors, pending } = form;

  return (
    <Card
      title="New endpoint"
      description="The service POSTs each chosen event there, signed (Standard Webhooks)."
    >
      <form onSubmit={(event) => void form.onSubmit(event)} noValidate className="space-y-4">
        <div className="flex flex-wrap items-end gap-3">
          <TextField
            id={`${id}-url`}
            label="URL"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://hooks.example.com/ledger"
            {...form.text('url')}
            error={errors.url}
            disabled={pending}
            className="min-w-64 flex-[2]"
          />
          <TextField
            id={`${id}-description`}
            label="Description"
            autoComplete="off"
            {...form.text('description')}
            error={errors.description}
            disabled={pending}
            className="min-w-48 flex-1"
          />
        </div>
        <EventTypesField
          id={`${id}-events`}
          value={form.values.events}
          onChange={(events) => {
            form.set('events', events);
          }}
          error={errors.events}
          disabled={pending}
        />
        <Button type="submit" pending={pending} pendingLabel="Creating…">
          Create endpoint
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        <FormOutcome problem={form.problem} done={form.done} />
      </div>
    </Card>
  );
}
