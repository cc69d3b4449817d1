import {
  createWebhookInput,
  listWebhookDeliveriesInput,
  retryWebhookDeliveryInput,
  WEBHOOK_ENDPOINTS_MAX,
  webhookByIdInput,
  type CreateWebhookInput,
  type ListWebhookDeliveriesInput,
  type RetryWebhookDeliveryInput,
  type WebhookByIdInput,
} from '@wallet/contract';
import { recordAudit, schema, type Db, type WriteContext } from '@wallet/db';
import { isUnavailable } from '@wallet/ledger';
import { and, count, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { v7 as uuidv7 } from 'uuid';

import {
  WebhookDeliveryNotFoundError,
  WebhookEndpointsLimitError,
  WebhookError,
  WebhookNotFoundError,
  WebhooksUnavailableError,
} from './errors';
import { pageOf, parseInput, uuidCursor } from './input';
import { enqueueAttempts, inTransaction } from './queue';
import { newWebhookSecret } from './signing';
import type { CreatedWebhook, Page, WebhookDeliveryInfo, WebhookInfo } from './types';
import { checkWebhookUrl, type UrlCheckOptions } from './url-guard';

const { webhookDeliveries: deliveries, webhookEndpoints: endpoints } = schema;

type EndpointRow = typeof endpoints.$inferSelect;
type DeliveryRow = typeof deliveries.$inferSelect;

function toInfo(row: EndpointRow): WebhookInfo {
  return {
    id: row.id,
    url: row.url,
    events: row.eventTypes,
    description: row.description,
    createdAt: row.createdAt,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
  };
}

function toDeliveryInfo(row: DeliveryRow): WebhookDeliveryInfo {
  return {
    id: row.id,
    webhookId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastAttemptAt: row.lastAttemptAt,
    lastResponseCode: row.lastResponseCode,
    lastLatencyMs: row.lastLatencyMs,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A database that did not answer is a 503 to retry; the webhook layer's own errors pass. */
async function answering<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof WebhookError) && isUnavailable(error)) {
      throw new WebhooksUnavailableError();
    }
    throw error;
  }
}

/** Advisory lock key serialising endpoint creations, so the count limit holds. */
const ENDPOINT_CREATION_LOCK = 7_340_215_016;

export function createEndpoint(
  db: Db,
  input: CreateWebhookInput,
  context: WriteContext,
  urlCheck: UrlCheckOptions,
): Promise<CreatedWebhook> {
  return answering(
    (async () => {
      const request = parseInput(createWebhookInput, input);
      // Refused before anything is stored, and checked again before every attempt.
      await checkWebhookUrl(request.url, urlCheck);
      const secret = newWebhookSecret();
      const row = await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${ENDPOINT_CREATION_LOCK})`);
        const [live] = await tx
          .select({ n: count() })
          .from(endpoints)
          .where(isNull(endpoints.deletedAt));
        if ((live?.n ?? 0) >= WEBHOOK_ENDPOINTS_MAX) {
          throw new WebhookEndpointsLimitError(WEBHOOK_ENDPOINTS_MAX);
        }
        const [made] = await tx
          .insert(endpoints)
          .values({
            id: uuidv7(),
            url: request.url,
            eventTypes: [...new Set(request.events)],
            description: request.description ?? null,
            secret,
            createdBy: context.actor,
          })
          .returning();
        if (!made) throw new Error('the endpoint insert returned no row');
        await recordAudit(tx, [audit(context, 'webhooks.create', made.id, { url: made.url })]);
        return made;
      });
      return { webhook: toInfo(row), secret };
    })(),
  );
}

function audit(
  context: WriteContext,
  action: string,
  webhookId: string,
  details: Record<string, unknown> = {},
) {
  return {
    actor: context.actor,
    action,
    target: `webhook:${webhookId}`,
    outcome: 'success' as const,
    requestId: context.requestId,
    details,
  };
}

export function listEndpoints(db: Db): Promise<WebhookInfo[]> {
  return answering(
    db
      .select()
      .from(endpoints)
      .where(isNull(endpoints.deletedAt))
      .orderBy(desc(endpoints.id))
      .limit(WEBHOOK_ENDPOINTS_MAX)
      .then((rows) => rows.map(toInfo)),
  );
}

/**
 * Deleted for good as far as delivery goes: its pending deliveries are failed in the same
 * transaction, and the row stays for their history.
 */
export function deleteEndpoint(
  db: Db,
  input: WebhookByIdInput,
  context: WriteContext,
): Promise<WebhookInfo> {
  const { webhookId } = parseInput(webhookByIdInput, input);
  return answering(
    db.transaction(async (tx) => {
      const [deleted] = await tx
        .update(endpoints)
        .set({ deletedAt: sql`now()` })
        .where(and(eq(endpoints.id, webhookId), isNull(endpoints.deletedAt)))
        .returning();
      if (!deleted) throw new WebhookNotFoundError(webhookId);
      await tx
        .update(deliveries)
        .set({ status: 'failed', lastError: 'endpoint deleted', updatedAt: sql`now()` })
        .where(and(eq(deliveries.endpointId, webhookId), eq(deliveries.status, 'pending')));
      await recordAudit(tx, [audit(context, 'webhooks.delete', webhookId)]);
      return toInfo(deleted);
    }),
  );
}

/** A new secret; the old one keeps signing beside it for the grace window. */
export function rotateSecret(
  db: Db,
  input: WebhookByIdInput,
  context: WriteContext,
  graceMs: number,
): Promise<CreatedWebhook> {
  const { webhookId } = parseInput(webhookByIdInput, input);
  const secret = newWebhookSecret();
  return answering(
    db.transaction(async (tx) => {
      const [rotated] = await tx
        .update(endpoints)
        .set({
          previousSecret: sql`${endpoints.secret}`,
          previousSecretExpiresAt: sql`now() + ${`${graceMs} milliseconds`}::interval`,
          secret,
        })
        .where(and(eq(endpoints.id, webhookId), isNull(endpoints.deletedAt)))
        .returning();
      if (!rotated) throw new WebhookNotFoundError(webhookId);
      await recordAudit(tx, [audit(context, 'webhooks.rotateSecret', webhookId)]);
      return { webhook: toInfo(rotated), secret };
    }),
  );
}

async function requireEndpoint(db: Db, webhookId: string): Promise<void> {
  const [found] = await db
    .select({ id: endpoints.id })
    .from(endpoints)
    .where(and(eq(endpoints.id, webhookId), isNull(endpoints.deletedAt)));
  if (!found) throw new WebhookNotFoundError(webhookId);
}

export function listDeliveries(
  db: Db,
  input: ListWebhookDeliveriesInput,
): Promise<Page<WebhookDeliveryInfo>> {
  const request = parseInput(listWebhookDeliveriesInput, input);
  const cursor = uuidCursor(request.cursor);
  return answering(
    (async () => {
      await requireEndpoint(db, request.webhookId);
      const rows = await db
        .select()
        .from(deliveries)
        .where(
          and(
            eq(deliveries.endpointId, request.webhookId),
            request.status === undefined ? undefined : eq(deliveries.status, request.status),
            cursor === undefined ? undefined : lt(deliveries.id, cursor),
          ),
        )
        .orderBy(desc(deliveries.id))
        .limit(request.limit + 1);
      return pageOf(rows.map(toDeliveryInfo), request.limit, (row) => row.id);
    })(),
  );
}

/**
 * An attempt now, whatever the delivery's state: a failed one is pending again (its
 * retry window starts anew), a succeeded one is sent again (receivers deduplicate by
 * webhook-id), a pending one is tried now instead of at its scheduled time. The new job
 * supersedes any scheduled one, which will then find nothing to do.
 */
export function retryDelivery(
  db: Db,
  boss: PgBoss,
  input: RetryWebhookDeliveryInput,
  context: WriteContext,
): Promise<WebhookDeliveryInfo> {
  const { webhookId, deliveryId } = parseInput(retryWebhookDeliveryInput, input);
  return answering(
    inTransaction(db, async (tx) => {
      const jobId = uuidv7();
      const now = new Date();
      const [retried] = await tx.db
        .update(deliveries)
        .set({ status: 'pending', jobId, nextAttemptAt: now, windowStartedAt: now, updatedAt: now })
        .where(
          and(
            eq(deliveries.id, deliveryId),
            eq(deliveries.endpointId, webhookId),
            sql`EXISTS (SELECT 1 FROM ${endpoints} WHERE ${endpoints.id} = ${webhookId} AND ${endpoints.deletedAt} IS NULL)`,
          ),
        )
        .returning();
      if (!retried) {
        await requireEndpoint(tx.db, webhookId);
        throw new WebhookDeliveryNotFoundError(webhookId, deliveryId);
      }
      await enqueueAttempts(boss, tx, [{ id: jobId, deliveryId, startAfter: now }]);
      await recordAudit(tx.db, [audit(context, 'webhooks.retry', webhookId, { deliveryId })]);
      return toDeliveryInfo(retried);
    }),
  );
}
