import {
  createWebhookInput,
  restCreatedWebhook,
  restWebhook,
  restWebhookDeliveriesQuery,
  restWebhookDelivery,
  restWebhookDeliveryPage,
  restWebhookDeliveryParams,
  restWebhookList,
  restWebhookParams,
} from '@wallet/contract';
import type { CreatedWebhook, WebhookDeliveryInfo, WebhookInfo, Webhooks } from '@wallet/webhooks';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { writeContextOf } from '../security/guard';
import { BODY_ERRORS, errorResponses } from './responses';

const PATH_ERRORS = ['INVALID_PATH', 'URI_TOO_LONG', 'WEBHOOK_NOT_FOUND'] as const;

function toRestWebhook(webhook: WebhookInfo) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    description: webhook.description,
    createdAt: webhook.createdAt.toISOString(),
    previousSecretExpiresAt: webhook.previousSecretExpiresAt?.toISOString() ?? null,
  };
}

function toRestCreated(created: CreatedWebhook) {
  return { ...toRestWebhook(created.webhook), secret: created.secret };
}

function toRestDelivery(delivery: WebhookDeliveryInfo) {
  return {
    ...delivery,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

/**
 * The documented /webhooks endpoints (admins only). Each handler is one call to the
 * webhook layer between the schema and the response's shape.
 */
export const webhookRoutes: FastifyPluginCallbackZod<{ webhooks: Webhooks }> = (
  app,
  { webhooks },
  done,
) => {
  app.post(
    '/webhooks',
    {
      config: { operation: 'webhooks.create' },
      schema: {
        summary: 'Register a webhook endpoint; the answer holds its signing secret, once',
        tags: ['webhooks'],
        body: createWebhookInput,
        response: {
          201: restCreatedWebhook.describe('The endpoint, and its secret (shown this once)'),
          ...errorResponses(
            ...BODY_ERRORS,
            'WEBHOOK_URL_REFUSED',
            'WEBHOOK_ENDPOINTS_LIMIT',
            'WEBHOOKS_UNAVAILABLE',
          ),
        },
      },
    },
    async (request, reply) => {
      const created = await webhooks.create(request.body, writeContextOf(request));
      return reply.code(201).send(toRestCreated(created));
    },
  );

  app.get(
    '/webhooks',
    {
      config: { operation: 'webhooks.list' },
      schema: {
        summary: 'The webhook endpoints, newest first (never their secrets)',
        tags: ['webhooks'],
        response: {
          200: restWebhookList.describe('Every endpoint not deleted'),
          ...errorResponses('WEBHOOKS_UNAVAILABLE'),
        },
      },
    },
    async () => ({ items: (await webhooks.list()).map(toRestWebhook) }),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { operation: 'webhooks.delete' },
      schema: {
        summary: 'Delete an endpoint: it is called no more, its pending deliveries fail',
        tags: ['webhooks'],
        params: restWebhookParams,
        response: {
          200: restWebhook.describe('The deleted endpoint'),
          ...errorResponses(...PATH_ERRORS, 'WEBHOOKS_UNAVAILABLE'),
        },
      },
    },
    async (request) =>
      toRestWebhook(
        await webhooks.delete({ webhookId: request.params.id }, writeContextOf(request)),
      ),
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { operation: 'webhooks.rotateSecret' },
      schema: {
        summary: 'A new signing secret; the old one keeps signing beside it for 24 h',
        tags: ['webhooks'],
        params: restWebhookParams,
        response: {
          200: restCreatedWebhook.describe('The endpoint, and its new secret (shown this once)'),
          ...errorResponses(...PATH_ERRORS, 'WEBHOOKS_UNAVAILABLE'),
        },
      },
    },
    async (request) =>
      toRestCreated(
        await webhooks.rotateSecret({ webhookId: request.params.id }, writeContextOf(request)),
      ),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { operation: 'webhooks.deliveries' },
      schema: {
        summary: "An endpoint's deliveries, newest first: status, attempts, last answer",
        tags: ['webhooks'],
        params: restWebhookParams,
        querystring: restWebhookDeliveriesQuery,
        response: {
          200: restWebhookDeliveryPage.describe('A page of deliveries'),
          ...errorResponses(...PATH_ERRORS, 'INVALID_INPUT', 'WEBHOOKS_UNAVAILABLE'),
        },
      },
    },
    async (request) => {
      const page = await webhooks.deliveries({ webhookId: request.params.id, ...request.query });
      return { items: page.items.map(toRestDelivery), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:delivery_id/retry',
    {
      config: { operation: 'webhooks.retry' },
      schema: {
        summary: 'Attempt a delivery again now (a failed one gets a new retry window)',
        tags: ['webhooks'],
        params: restWebhookDeliveryParams,
        response: {
          202: restWebhookDelivery.describe('The delivery, pending its new attempt'),
          ...errorResponses(...PATH_ERRORS, 'WEBHOOK_DELIVERY_NOT_FOUND', 'WEBHOOKS_UNAVAILABLE'),
        },
      },
    },
    async (request, reply) => {
      const { id, delivery_id: deliveryId } = request.params;
      const retried = await webhooks.retry({ webhookId: id, deliveryId }, writeContextOf(request));
      return reply.code(202).send(toRestDelivery(retried));
    },
  );
  done();
};
