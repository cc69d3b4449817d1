import { z } from 'zod';

import { fieldError } from './issues';
import {
  CURSOR_LENGTH_MAX,
  WEBHOOK_DESCRIPTION_LENGTH_MAX,
  WEBHOOK_EVENT_TYPES_MAX,
  WEBHOOK_URL_LENGTH_MAX,
} from './limits';
import { pageLimitSchema } from './schemas';
import { EVENT_TYPES } from './vocabulary';

/**
 * Webhook endpoints and their deliveries: the admin's inputs, one definition for tRPC,
 * REST, OpenAPI and the dashboard's forms. Whether a URL's host may be reached (SSRF) is
 * decided by @wallet/webhooks when it resolves the name, not here.
 */

/** `*` subscribes to every event type, present and future. */
export const WEBHOOK_ALL_EVENTS = '*' as const;

/** One of the outbox's event types (vocabulary.ts), or `*`. */
export const webhookEventTypeSchema = z.enum([WEBHOOK_ALL_EVENTS, ...EVENT_TYPES], {
  error: `must be an event type (${EVENT_TYPES.join(', ')}) or * for every event`,
});

export const webhookUrlSchema = z
  .string({ error: fieldError('must be a string') })
  .max(WEBHOOK_URL_LENGTH_MAX, { error: `must be at most ${WEBHOOK_URL_LENGTH_MAX} characters` })
  .refine(isHttpUrl, { error: 'must be an absolute http:// or https:// URL without credentials' });

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.hostname !== ''
  );
}

export const webhookIdSchema = z.uuid({ error: fieldError('must be a UUID') });

export const createWebhookInput = z.strictObject({
  url: webhookUrlSchema,
  events: z
    .array(webhookEventTypeSchema, { error: fieldError('must be an array of event types') })
    .min(1, { error: 'must name at least one event type' })
    .max(WEBHOOK_EVENT_TYPES_MAX, {
      error: `must name at most ${WEBHOOK_EVENT_TYPES_MAX} event types`,
    }),
  description: z
    .string({ error: fieldError('must be a string') })
    .max(WEBHOOK_DESCRIPTION_LENGTH_MAX, {
      error: `must be at most ${WEBHOOK_DESCRIPTION_LENGTH_MAX} characters`,
    })
    .optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const webhookByIdInput = z.strictObject({ webhookId: webhookIdSchema });
export type WebhookByIdInput = z.infer<typeof webhookByIdInput>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

const pageCursorSchema = z
  .string({ error: fieldError('must be a string') })
  .min(1)
  .max(CURSOR_LENGTH_MAX);

export const listWebhookDeliveriesInput = z.strictObject({
  webhookId: webhookIdSchema,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  cursor: pageCursorSchema.optional(),
  limit: pageLimitSchema,
});
export type ListWebhookDeliveriesInput = z.input<typeof listWebhookDeliveriesInput>;

export const retryWebhookDeliveryInput = z.strictObject({
  webhookId: webhookIdSchema,
  deliveryId: z.uuid({ error: fieldError('must be a UUID') }),
});
export type RetryWebhookDeliveryInput = z.infer<typeof retryWebhookDeliveryInput>;

// ---------------------------------------------------------------- REST

export const restWebhookParams = z.strictObject({ id: webhookIdSchema });
export const restWebhookDeliveryParams = z.strictObject({
  id: webhookIdSchema,
  delivery_id: z.uuid({ error: fieldError('must be a UUID') }),
});
export const restWebhookDeliveriesQuery = z.strictObject({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  cursor: pageCursorSchema.optional(),
  limit: pageLimitSchema,
});

export const restWebhook = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** While a rotated-out secret still signs (both signatures are sent), until when. */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
});
export const restCreatedWebhook = restWebhook.extend({
  /** The signing secret (`whsec_…`): shown in this answer only. */
  secret: z.string(),
});
export const restWebhookList = z.object({ items: z.array(restWebhook) });

export const restWebhookDelivery = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  /** The `webhook-id` header of every attempt: what receivers deduplicate on. */
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** When the last attempt ended; null before the first. */
  lastAttemptAt: z.iso.datetime().nullable(),
  lastResponseCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const restWebhookDeliveryPage = z.object({
  items: z.array(restWebhookDelivery),
  nextCursor: z.string().nullable(),
});
