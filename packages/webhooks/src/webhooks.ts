import type {
  CreateWebhookInput,
  ListWebhookDeliveriesInput,
  RetryWebhookDeliveryInput,
  WebhookByIdInput,
} from '@wallet/contract';
import type { Db, WriteContext } from '@wallet/db';
import type PgBoss from 'pg-boss';

import * as admin from './admin';
import { runAttempt, type AttemptDeps, type AttemptResult } from './attempt';
import type { EventSource } from './events';
import { startDispatcher, startWorker, type ErrorReporter, type Loop } from './loops';
import { startQueue } from './queue';
import { RETRY_SCHEDULE_DEFAULTS, type RetrySchedule } from './schedule';
import { createSender } from './send';
import type { CreatedWebhook, Page, WebhookDeliveryInfo, WebhookInfo } from './types';
import type { Resolver } from './url-guard';

export interface WebhookSettings {
  /** WEBHOOKS_ALLOW_PRIVATE_URLS: loopback and private targets allowed (tests, local receivers). */
  allowPrivateUrls: boolean;
  attemptTimeoutMs: number;
  /** Attempts in flight at once in one process. */
  concurrency: number;
  /** Attempts in flight at once to one endpoint, over all processes. */
  endpointConcurrencyMax: number;
  /** How often an idle dispatcher and worker look for work. */
  pollIntervalMs: number;
  dispatchBatchSize: number;
  /**
   * First attempts waiting per endpoint at which the dispatcher stops reading the outbox,
   * while every live endpoint has that many: see DispatchDeps.aheadMax.
   */
  dispatchAheadMax: number;
  retry: RetrySchedule;
  /** How long a rotated-out secret keeps signing beside the new one. */
  secretGraceMs: number;
  /** How often pg-boss looks for the jobs of dead workers. */
  maintenanceIntervalSeconds: number;
}

export const WEBHOOK_SETTINGS_DEFAULTS: WebhookSettings = {
  allowPrivateUrls: false,
  attemptTimeoutMs: 10_000,
  concurrency: 16,
  endpointConcurrencyMax: 4,
  pollIntervalMs: 500,
  dispatchBatchSize: 500,
  dispatchAheadMax: 1_000,
  retry: RETRY_SCHEDULE_DEFAULTS,
  secretGraceMs: 24 * 60 * 60 * 1000,
  maintenanceIntervalSeconds: 30,
};

export interface WebhooksOptions {
  settings?: Partial<WebhookSettings>;
  /** Host name resolution for the SSRF check (the system's by default). */
  resolve?: Resolver;
  onError?: ErrorReporter;
}

export interface Webhooks {
  create(input: CreateWebhookInput, context: WriteContext): Promise<CreatedWebhook>;
  list(): Promise<WebhookInfo[]>;
  delete(input: WebhookByIdInput, context: WriteContext): Promise<WebhookInfo>;
  rotateSecret(input: WebhookByIdInput, context: WriteContext): Promise<CreatedWebhook>;
  deliveries(input: ListWebhookDeliveriesInput): Promise<Page<WebhookDeliveryInfo>>;
  retry(input: RetryWebhookDeliveryInput, context: WriteContext): Promise<WebhookDeliveryInfo>;
  /** Starts delivering: the dispatcher reads `source`, the worker sends. */
  start(source: EventSource): Promise<void>;
  /** Stops both; attempts in flight end first (each within its timeout). */
  stop(): Promise<void>;
  /** For tests: one attempt of a delivery by the job that holds it. */
  attempt(jobId: string, deliveryId: string): Promise<AttemptResult>;
}

export function createWebhooks(db: Db, options: WebhooksOptions = {}): Webhooks {
  const settings = { ...WEBHOOK_SETTINGS_DEFAULTS, ...options.settings };
  const onError = options.onError ?? (() => undefined);
  const sender = createSender();
  let queue: Promise<PgBoss> | undefined;
  let loops: Loop[] = [];
  let wakeWorker: () => void = () => undefined;
  const bossOf = () => {
    queue ??= startQueue(db, {
      // An attempt's job outlives its lease only by a margin: a dead worker's attempt
      // is handed out again soon after the lease that guards it has run out.
      expireInSeconds: Math.ceil((2 * settings.attemptTimeoutMs) / 1000) + 5,
      maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds,
    }).then((boss) => {
      boss.on('error', (error) => {
        onError(error, 'pg-boss');
      });
      return boss;
    });
    return queue;
  };
  const attemptDeps = async (): Promise<AttemptDeps> => ({
    db,
    boss: await bossOf(),
    sender,
    settings: {
      timeoutMs: settings.attemptTimeoutMs,
      leaseMs: 2 * settings.attemptTimeoutMs,
      endpointConcurrencyMax: settings.endpointConcurrencyMax,
      schedule: settings.retry,
      allowPrivateUrls: settings.allowPrivateUrls,
      resolve: options.resolve,
    },
  });
  const urlCheck = { allowPrivate: settings.allowPrivateUrls, resolve: options.resolve };
  return {
    create: (input, context) => admin.createEndpoint(db, input, context, urlCheck),
    list: () => admin.listEndpoints(db),
    delete: (input, context) => admin.deleteEndpoint(db, input, context),
    rotateSecret: (input, context) =>
      admin.rotateSecret(db, input, context, settings.secretGraceMs),
    deliveries: (input) => admin.listDeliveries(db, input),
    retry: async (input, context) => {
      const retried = await admin.retryDelivery(db, await bossOf(), input, context);
      wakeWorker();
      return retried;
    },
    start: async (source) => {
      const deps = await attemptDeps();
      const worker = startWorker(deps, {
        concurrency: settings.concurrency,
        pollIntervalMs: settings.pollIntervalMs,
        onError,
      });
      wakeWorker = () => {
        worker.wake();
      };
      const dispatcher = startDispatcher(
        {
          db,
          boss: deps.boss,
          source,
          batchSize: settings.dispatchBatchSize,
          aheadMax: settings.dispatchAheadMax,
        },
        { pollIntervalMs: settings.pollIntervalMs, onError, onDispatched: wakeWorker },
      );
      loops = [dispatcher, worker];
    },
    stop: async () => {
      const stopping = loops;
      loops = [];
      // The dispatcher first: it feeds the worker.
      for (const loop of stopping) await loop.stop();
      if (queue) await (await queue).stop({ graceful: false, wait: true, close: false });
      queue = undefined;
      sender.close();
    },
    attempt: async (jobId, deliveryId) => {
      return runAttempt(await attemptDeps(), jobId, deliveryId);
    },
  };
}
