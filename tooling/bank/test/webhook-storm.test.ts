import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { migrateDatabase } from '@wallet/db';
import { freePort } from '@wallet/testing';
import { restWallet } from '@wallet/contract';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { attemptRest, attemptWrite, createEndpoint, type Endpoint } from '../clients';
import { ApiNode, DatabaseNode } from '../cluster';
import { readBankEnv } from '../env';
import { readFinalState } from '../final-state';
import type { WriteInput } from '../history';
import { Random } from '../random';
import { checkWebhooks } from '../webhook-checks';
import {
  readSnapshot,
  registerReceiver,
  waitForDeliveries,
  WEBHOOK_TEST_API_ENV,
} from '../webhook-proof';
import { WebhookReceiver } from '../webhook-receiver';

/**
 * The webhook storm: one API process on an embedded PostgreSQL, a receiver on 127.0.0.1,
 * a few hundred writes from concurrent clients; during them the API is killed with
 * kill -9 and started again, and PostgreSQL is stopped and started again, while the
 * receiver first answers 500 to everything and then recovers. After deduplication by
 * event id the receiver must hold exactly the outbox's events (none missing, none
 * unknown), every request correctly signed, never two requests for one event in flight
 * at once, and the events must replay to the ledger's balances and histories.
 */

const WALLETS = 4;
const CLIENTS = 6;
const WRITES = 360;
const INITIAL_FUNDING_CENTS = 100_000n;
const REQUEST_TIMEOUT_MS = 5_000;
const WRITE_ATTEMPTS_MAX = 40;
const RETRY_PAUSE_MS = 100;
const DB_DOWN_MS = 300;
/** The receiver holds each answer this long at most: a kill finds attempts in flight. */
const RECEIVER_HOLD_MS_MAX = 5;
const FAULT_WAIT_TIMEOUT_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 150_000;

const verbose = readBankEnv().BANK_VERBOSE === '1';
const log = (message: string) => {
  if (verbose) console.log(message);
};
const cleanUp: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanUp.reverse()) await step().catch(() => undefined);
});

async function startCluster() {
  const folder = await mkdtemp(path.join(tmpdir(), 'wallet-storm-'));
  cleanUp.push(() => rm(folder, { recursive: true, force: true }));
  await chmod(folder, 0o755); // the postgres system user must reach it when we are root
  const database = new DatabaseNode(path.join(folder, 'data'), await freePort(), undefined);
  cleanUp.push(() => database.stop());
  await database.start();
  await migrateDatabase(database.url);
  const api = new ApiNode({
    index: 0,
    port: await freePort(),
    databaseUrl: () => database.url,
    poolMax: 10,
    forward: undefined,
    env: WEBHOOK_TEST_API_ENV,
    // A crash (PostgreSQL gone under it) is restarted by the node's own supervisor.
    onCrash: (exit) => {
      log(`api exited by itself: ${JSON.stringify(exit)}`);
    },
    onRecovered: () => undefined,
  });
  cleanUp.push(async () => {
    await api.stop();
  });
  await api.start();
  return { database, api, endpoint: createEndpoint(0, api.baseUrl) };
}

/** One write, tried again (same idempotency key) through kills and restarts, until answered. */
async function writeUntilAnswered(endpoint: Endpoint, input: WriteInput): Promise<boolean> {
  const request = { input, key: randomUUID(), description: 'storm' };
  for (let attempt = 0; attempt < WRITE_ATTEMPTS_MAX; attempt++) {
    const { outcome } = await attemptWrite(endpoint, 'rest', request, REQUEST_TIMEOUT_MS);
    if (outcome.type === 'ok' || outcome.type === 'applied-earlier') return true;
    if (outcome.type === 'refused') return false; // insufficient funds: fine, no event
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
  throw new Error(`a write was not answered in ${WRITE_ATTEMPTS_MAX} attempts`);
}

async function createWallets(endpoint: Endpoint): Promise<string[]> {
  const wallets: string[] = [];
  for (let index = 0; index < WALLETS; index++) {
    const { reply } = await attemptRest(
      endpoint,
      'POST',
      '/wallets',
      { currency: 'USD' },
      REQUEST_TIMEOUT_MS,
      (body) => restWallet.parse(body).id,
    );
    if (reply === undefined) throw new Error('could not create a wallet');
    wallets.push(reply);
    const walletId = reply;
    await writeUntilAnswered(endpoint, {
      kind: 'fund',
      walletId,
      amountCents: INITIAL_FUNDING_CENTS,
    });
  }
  return wallets;
}

/** CLIENTS loops share WRITES writes: fundings and transfers between random wallets. */
function storm(endpoint: Endpoint, wallets: string[], progress: { written: number }) {
  const random = new Random(0x5707_0001);
  let next = 0;
  const client = async () => {
    while (next < WRITES) {
      next++;
      const sender = random.pick(wallets);
      const receiver = random.pick(wallets.filter((wallet) => wallet !== sender));
      const amountCents = BigInt(random.int(1, 5_000));
      const input: WriteInput = random.chance(0.2)
        ? { kind: 'fund', walletId: sender, amountCents }
        : { kind: 'transfer', senderWalletId: sender, receiverWalletId: receiver, amountCents };
      await writeUntilAnswered(endpoint, input);
      progress.written++;
    }
  };
  return Promise.all(Array.from({ length: CLIENTS }, client));
}

const waitUntil = (condition: () => boolean, what: string) =>
  vi.waitFor(
    () => {
      if (!condition()) throw new Error(`still waiting: ${what}`);
    },
    { timeout: FAULT_WAIT_TIMEOUT_MS, interval: 20 },
  );

describe('a webhook storm through kill -9, a PostgreSQL restart and a failing receiver', () => {
  it(
    'delivers every event of the outbox, signed, one attempt at a time, replaying to the ledger',
    async () => {
      const { database, api, endpoint } = await startCluster();
      const hold = new Random(0x5707_0002);
      let failing = true;
      const receiver = await WebhookReceiver.start({
        answer: () => (failing ? 500 : 200),
        holdMs: () => hold.int(0, RECEIVER_HOLD_MS_MAX),
      });
      cleanUp.push(() => receiver.close());
      await registerReceiver([endpoint], receiver);
      const wallets = await createWallets(endpoint);
      const progress = { written: 0 };
      const writes = storm(endpoint, wallets, progress);

      // The receiver refuses everything for the first third of the storm, with a kill -9 in it.
      await waitUntil(
        () => progress.written >= WRITES / 6 && receiver.figures().refused > 0,
        'a sixth written, 500s answered',
      );
      await api.kill9();
      log(`kill -9 at ${progress.written} writes`);
      await api.start();
      await waitUntil(() => progress.written >= WRITES / 3, 'a third written');
      failing = false;
      await waitUntil(() => receiver.figures().accepted > 0, 'a first accepted delivery');
      // Then PostgreSQL goes away under the API, its queue and its attempts in flight.
      await database.restart(DB_DOWN_MS);
      log(`PostgreSQL restarted at ${progress.written} writes`);
      await waitUntil(() => progress.written >= (2 * WRITES) / 3, 'two thirds written');
      await api.kill9();
      await api.start();
      await writes;

      const final = await readFinalState([endpoint], wallets, log);
      const snapshot = await readSnapshot([endpoint], wallets);
      const wait = await waitForDeliveries([endpoint], receiver, DELIVERY_TIMEOUT_MS, log);
      const { violations, figures } = checkWebhooks({
        receiver,
        snapshot,
        wait,
        final: final.wallets,
      });
      console.log(`webhook storm: ${JSON.stringify(figures)}`);

      expect(wait.missing).toEqual([]);
      expect(wait.unknown).toEqual([]);
      expect(new Set(receiver.received().map((event) => event.id))).toEqual(
        new Set(wait.outbox.map((event) => event.id)),
      );
      expect(figures.invalidSignatures).toBe(0);
      expect(figures.concurrentPerEventMax).toBe(1);
      expect(figures.refused).toBeGreaterThan(0); // the 500s were really answered, and retried
      expect(violations).toEqual([]);
      // Every write's event is there: a wallet's creation and funding each, and the storm's.
      expect(wait.outbox.length).toBeGreaterThan(2 * WALLETS + WRITES / 2);
    },
    TEST_TIMEOUT_MS,
  );
});
