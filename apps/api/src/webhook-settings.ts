import type { WebhookSettings } from '@wallet/webhooks';

import type { ApiEnv } from './env';

/** The webhook layer's settings from the validated environment (docs/webhooks.md). */
export function webhookSettingsFrom(env: ApiEnv): Partial<WebhookSettings> {
  return {
    allowPrivateUrls: env.WEBHOOKS_ALLOW_PRIVATE_URLS,
    attemptTimeoutMs: env.WEBHOOKS_ATTEMPT_TIMEOUT_MS,
    concurrency: env.WEBHOOKS_CONCURRENCY,
    endpointConcurrencyMax: env.WEBHOOKS_ENDPOINT_CONCURRENCY,
    pollIntervalMs: env.WEBHOOKS_POLL_MS,
    maintenanceIntervalSeconds: env.WEBHOOKS_QUEUE_MAINTENANCE_SECONDS,
    retry: {
      firstDelayMs: env.WEBHOOKS_RETRY_FIRST_DELAY_MS,
      delayMaxMs: env.WEBHOOKS_RETRY_DELAY_MAX_MS,
      windowMs: env.WEBHOOKS_RETRY_WINDOW_MS,
    },
  };
}
