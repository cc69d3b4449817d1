import type { WebhookDeliveryStatus } from '@wallet/contract';

/** An endpoint as admins see it: never its secret, except once (CreatedWebhook). */
export interface WebhookInfo {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: Date;
  /** While a rotated-out secret still signs (beside the new one), until when; else null. */
  previousSecretExpiresAt: Date | null;
}

export interface CreatedWebhook {
  webhook: WebhookInfo;
  /** The signing secret (`whsec_…`): in this answer only. */
  secret: string;
}

export interface WebhookDeliveryInfo {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the last attempt ended (its outcome recorded); null before the first. */
  lastAttemptAt: Date | null;
  lastResponseCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
