export * from './errors';
export * from './events';
export * from './types';
export {
  createWebhooks,
  WEBHOOK_SETTINGS_DEFAULTS,
  type Webhooks,
  type WebhookSettings,
  type WebhooksOptions,
} from './webhooks';
export { RETRY_SCHEDULE_DEFAULTS, retryDelayMs, type RetrySchedule } from './schedule';
export { checkWebhookUrl, isPublicAddress, type Resolver, type ResolvedAddress } from './url-guard';
export { ATTEMPT_QUEUE } from './queue';
export type { AttemptResult } from './attempt';
export { EVENT_STREAM } from './dispatcher';
export { ledgerEventSource } from './ledger-source';
