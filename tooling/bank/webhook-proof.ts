import { setTimeout as sleep } from 'node:timers/promises';

import {
  EVENT_CURSOR_START,
  PAGE_SIZE_MAX,
  restCreatedWebhook,
  restEventPage,
  restWalletBalance,
} from '@wallet/contract';
import type { z } from 'zod';

import { attemptRest, type Endpoint } from './clients';
import type { Log } from './cluster';
import { restGet } from './final-state';
import { centsOfText } from './money';
import type { WebhookReceiver } from './webhook-receiver';

/**
 * The API's side of the webhook proof: registering the receiver's endpoint, reading the
 * outbox (GET /events, every page) with the wallets' balances and held amounts at one
 * consistent moment, and waiting until the receiver has every event of it.
 */

/**
 * The webhook settings of the API processes the tests start: loopback receivers allowed,
 * short attempts (a dead process's lease then runs out in 2 × 2 s), short retries, and
 * pg-boss's look for a dead process's jobs every 2 s instead of 30 s, so that what a
 * kill -9 held is delivered within seconds of the restart.
 */
export const WEBHOOK_TEST_API_ENV: Record<string, string> = {
  WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOKS_ATTEMPT_TIMEOUT_MS: '2000',
  WEBHOOKS_ENDPOINT_CONCURRENCY: '8',
  WEBHOOKS_RETRY_FIRST_DELAY_MS: '100',
  WEBHOOKS_RETRY_DELAY_MAX_MS: '1000',
  WEBHOOKS_QUEUE_MAINTENANCE_SECONDS: '2',
  WEBHOOKS_POLL_MS: '100',
};

const REGISTER_ATTEMPTS_MAX = 5;
const REGISTER_TIMEOUT_MS = 10_000;
const REGISTER_PAUSE_MS = 250;
const OUTBOX_PAGES_MAX = 10_000;
const SNAPSHOT_READS_MAX = 5;
const DELIVERY_POLL_MS = 250;

export type OutboxEvent = z.infer<typeof restEventPage>['items'][number];

/** Registers the receiver for every event type (`*`) and gives it the secret. */
export async function registerReceiver(
  endpoints: readonly Endpoint[],
  receiver: WebhookReceiver,
): Promise<string> {
  const body = { url: receiver.url, events: ['*'], description: 'bank test receiver' };
  for (let attempt = 0; attempt < REGISTER_ATTEMPTS_MAX; attempt++) {
    const endpoint = endpoints[attempt % endpoints.length];
    if (!endpoint) break;
    const { reply } = await attemptRest(
      endpoint,
      'POST',
      '/webhooks',
      body,
      REGISTER_TIMEOUT_MS,
      (b) => restCreatedWebhook.parse(b),
    );
    if (reply) {
      receiver.setSecret(reply.secret);
      return reply.id;
    }
    await sleep(REGISTER_PAUSE_MS);
  }
  throw new Error(`POST /webhooks failed ${REGISTER_ATTEMPTS_MAX} times`);
}

export interface OutboxRead {
  events: OutboxEvent[];
  /** Where the next read starts. */
  next: string;
}

/** The outbox after `after` (the start by default), every page, oldest first. */
export async function readOutbox(
  endpoints: Endpoint[],
  after: string = EVENT_CURSOR_START,
): Promise<OutboxRead> {
  const events: OutboxEvent[] = [];
  let cursor = after;
  for (let page = 0; page < OUTBOX_PAGES_MAX; page++) {
    const path = `/events?after=${cursor}&limit=${PAGE_SIZE_MAX}`;
    const { items, next, hasMore } = await restGet(endpoints, path, (b) => restEventPage.parse(b));
    events.push(...items);
    cursor = next;
    if (!hasMore) return { events, next: cursor };
  }
  throw new Error(`the outbox has more than ${OUTBOX_PAGES_MAX} pages`);
}

export interface WalletNow {
  balanceCents: bigint;
  heldCents: bigint;
}

export interface LedgerSnapshot {
  events: OutboxEvent[];
  wallets: Map<string, WalletNow>;
}

/**
 * The outbox and the wallets' balances and held amounts at one moment: read the outbox,
 * the wallets, then what the outbox got meanwhile, until that is nothing (the expiry
 * sweep may still be expiring holds).
 */
export async function readSnapshot(
  endpoints: Endpoint[],
  walletIds: readonly string[],
): Promise<LedgerSnapshot> {
  for (let read = 0; read < SNAPSHOT_READS_MAX; read++) {
    const before = await readOutbox(endpoints);
    const wallets = new Map<string, WalletNow>();
    for (const walletId of walletIds) {
      const balance = await restGet(endpoints, `/wallets/${walletId}/balance`, (b) =>
        restWalletBalance.parse(b),
      );
      wallets.set(walletId, {
        balanceCents: centsOfText(balance.balance),
        heldCents: centsOfText(balance.held),
      });
    }
    const meanwhile = await readOutbox(endpoints, before.next);
    if (meanwhile.events.length === 0) return { events: before.events, wallets };
  }
  throw new Error(`the outbox kept growing over ${SNAPSHOT_READS_MAX} snapshot reads`);
}

export interface DeliveryWait {
  /** The outbox when the wait ended: every event the receiver should have. */
  outbox: OutboxEvent[];
  missing: string[];
  /** Received, signed correctly, and in no outbox: never an event of this ledger. */
  unknown: string[];
  waitedMs: number;
}

/** Waits, at most `timeoutMs`, until the receiver has every event of the outbox. */
export async function waitForDeliveries(
  endpoints: Endpoint[],
  receiver: WebhookReceiver,
  timeoutMs: number,
  log: Log,
): Promise<DeliveryWait> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  const read = await readOutbox(endpoints);
  const outbox = read.events;
  let cursor = read.next;
  let lastMissing = -1;
  for (;;) {
    const missing = outbox.filter((event) => !receiver.has(event.id)).map((event) => event.id);
    const done = missing.length === 0 || performance.now() >= deadline;
    if (done) {
      const known = new Set(outbox.map((event) => event.id));
      const unknown = receiver
        .received()
        .filter((event) => !known.has(event.id))
        .map((event) => event.id);
      if (missing.length > 0)
        log(`webhooks: ${missing.length} events still missing after ${timeoutMs} ms`);
      return { outbox, missing, unknown, waitedMs: performance.now() - started };
    }
    if (missing.length !== lastMissing) {
      log(`webhooks: waiting for ${missing.length} of ${outbox.length} events`);
      lastMissing = missing.length;
    }
    await sleep(DELIVERY_POLL_MS);
    // Holds may still expire: the outbox can grow while the receiver catches up.
    const more = await readOutbox(endpoints, cursor);
    outbox.push(...more.events);
    cursor = more.next;
  }
}
