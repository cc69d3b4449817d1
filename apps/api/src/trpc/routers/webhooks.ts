import type { TRPCRouterRecord } from '@trpc/server';
import {
  createWebhookInput,
  listWebhookDeliveriesInput,
  retryWebhookDeliveryInput,
  webhookByIdInput,
} from '@wallet/contract';

import { procedureFor } from '../init';

/**
 * Webhook endpoints (admins only): the signing secret is in the answer of `create` and
 * `rotateSecret` once, and nowhere else ever.
 */
export const webhooksRouter = {
  create: procedureFor('webhooks.create')
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => ctx.webhooks.create(input, ctx.write)),
  list: procedureFor('webhooks.list').query(({ ctx }) => ctx.webhooks.list()),
  delete: procedureFor('webhooks.delete')
    .input(webhookByIdInput)
    .mutation(({ ctx, input }) => ctx.webhooks.delete(input, ctx.write)),
  rotateSecret: procedureFor('webhooks.rotateSecret')
    .input(webhookByIdInput)
    .mutation(({ ctx, input }) => ctx.webhooks.rotateSecret(input, ctx.write)),
  deliveries: procedureFor('webhooks.deliveries')
    .input(listWebhookDeliveriesInput)
    .query(({ ctx, input }) => ctx.webhooks.deliveries(input)),
  retry: procedureFor('webhooks.retry')
    .input(retryWebhookDeliveryInput)
    .mutation(({ ctx, input }) => ctx.webhooks.retry(input, ctx.write)),
} satisfies TRPCRouterRecord;
