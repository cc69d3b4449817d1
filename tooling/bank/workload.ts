import { setTimeout as sleep } from 'node:timers/promises';

import { restWallet } from '@wallet/contract';

import { attemptRest } from './clients';
import type { Protocol, ReversedOriginal, WriteInput, WriteOp } from './history';
import { executeTotalsRead, executeWalletRead, executeWrite, type OpContext } from './operations';
import type { Random } from './random';

/**
 * The clients: set-up (wallets, their first fundings), then C concurrent loops of random
 * transfers in both directions, fundings, withdrawals, reversals of a part of an
 * acknowledged write, snapshot reads of the totals and wallet reads,
 * half over REST and half over tRPC, until the deadline (or an op-count bound).
 */

const SETUP_ATTEMPTS_MAX = 10;
const SETUP_RETRY_PAUSE_MS = 200;

export interface Workload {
  runId: string;
  wallets: string[];
  /** The writes acknowledged with their transaction's id so far: what a reversal may name. */
  reversible: ReversedOriginal[];
}

/** Creates the wallets over REST and funds each once, as recorded operations. */
export async function setUpWallets(
  context: OpContext,
  runId: string,
  random: Random,
): Promise<Workload> {
  const { profile } = context;
  const wallets: string[] = [];
  const reversible: ReversedOriginal[] = [];
  for (let index = 0; index < profile.walletCount; index++) {
    wallets.push(await createWallet(context, index));
  }
  await Promise.all(
    wallets.map(async (walletId, index) => {
      const op = await executeWrite(context, {
        client: -1,
        key: `bank-${runId}-setup-${index}`,
        input: { kind: 'fund', walletId, amountCents: profile.initialFundingCents },
        protocol: index % 2 === 0 ? 'rest' : 'trpc',
        endpoint: index % context.endpoints.length,
        shortTimeoutMs: undefined,
        random,
      });
      if (op.outcome.type !== 'ok') {
        throw new Error(`set-up funding of ${walletId} failed: ${JSON.stringify(op.outcome)}`);
      }
      const original = reversibleOriginalOf(op);
      if (original) reversible.push(original);
    }),
  );
  return { runId, wallets, reversible };
}

async function createWallet(context: OpContext, index: number): Promise<string> {
  for (let attempt = 1; attempt <= SETUP_ATTEMPTS_MAX; attempt++) {
    const endpoint = context.endpoints[(index + attempt) % context.endpoints.length];
    if (!endpoint) throw new Error('no API endpoints');
    const { reply } = await attemptRest(
      endpoint,
      'POST',
      '/wallets',
      { currency: 'USD' },
      context.profile.requestTimeoutMs,
      (body) => restWallet.parse(body).id,
    );
    if (reply !== undefined) return reply;
    await sleep(SETUP_RETRY_PAUSE_MS);
  }
  throw new Error(`could not create wallet ${index} in ${SETUP_ATTEMPTS_MAX} attempts`);
}

export async function runClients(
  context: OpContext,
  workload: Workload,
  random: Random,
  deadline: number,
  signal: AbortSignal,
): Promise<void> {
  const clients = Array.from({ length: context.profile.clientCount }, (_, client) => ({
    client,
    random: random.fork(),
  }));
  await Promise.all(
    clients.map((client) =>
      runClient(context, workload, client.client, client.random, deadline, signal),
    ),
  );
}

async function runClient(
  context: OpContext,
  workload: Workload,
  client: number,
  random: Random,
  deadline: number,
  signal: AbortSignal,
): Promise<void> {
  const { profile, now } = context;
  for (let sequence = 1; sequence <= profile.opsPerClientMax; sequence++) {
    if (now() >= deadline || signal.aborted) return;
    await runOne(context, workload, client, sequence, random);
    await sleep(random.int(0, profile.thinkTimeMaxMs));
  }
}

async function runOne(
  context: OpContext,
  workload: Workload,
  client: number,
  sequence: number,
  random: Random,
): Promise<void> {
  const { profile, endpoints } = context;
  const endpoint = client % endpoints.length;
  const protocol: Protocol = random.chance(0.5) ? 'rest' : 'trpc';
  const { transfer, fund, withdraw, reverse, hold, totals } = profile.mix;
  const writes = transfer + fund + withdraw + reverse;
  const roll = random.next() * (writes + hold + totals + profile.mix.walletRead);
  const key = `bank-${workload.runId}-c${client}-${sequence}`;
  if (roll >= writes && roll < writes + hold) {
    await runHold(context, workload, { client, key, protocol, endpoint }, random);
  } else if (roll < writes) {
    const input =
      roll < transfer
        ? transferInput(context, workload, random)
        : roll < transfer + fund
          ? fundInput(context, workload, random)
          : roll < transfer + fund + withdraw
            ? withdrawInput(context, workload, random)
            : (reverseInput(workload, random) ?? fundInput(context, workload, random));
    const { shortTimeout } = profile;
    const short = random.chance(shortTimeout.probability);
    const op = await executeWrite(context, {
      client,
      key,
      input,
      protocol,
      endpoint,
      shortTimeoutMs: short ? random.int(shortTimeout.minMs, shortTimeout.maxMs) : undefined,
      random,
    });
    const original = reversibleOriginalOf(op);
    if (original) workload.reversible.push(original);
  } else if (roll < writes + hold + totals) {
    await executeTotalsRead(context, client, endpoint, random);
  } else {
    const walletId = random.pick(workload.wallets);
    await executeWalletRead(context, client, endpoint, protocol, walletId, random);
  }
}

interface HoldClient {
  client: number;
  key: string;
  protocol: Protocol;
  endpoint: number;
}

/**
 * A hold's life, as a careful client lives it: the placement, then (once it is known to
 * exist) its capture of all or part (now and then a second capture with another key,
 * which must be refused: a hold is captured once), its void, or nothing (it expires).
 */
async function runHold(
  context: OpContext,
  workload: Workload,
  spec: HoldClient,
  random: Random,
): Promise<void> {
  const { profile } = context;
  const { wallets } = workload;
  const payer = random.int(0, wallets.length - 1);
  const walletId = wallets[payer];
  if (walletId === undefined) throw new Error('no wallets');
  const receiverWalletId = random.chance(0.5)
    ? (wallets[(payer + random.int(1, wallets.length - 1)) % wallets.length] ?? null)
    : null;
  const amountCents = BigInt(random.int(1, profile.holdCentsMax));
  const expiresInMs = random.int(profile.holdExpiryMs.min, profile.holdExpiryMs.max);
  const expiresAt = new Date(Date.now() + expiresInMs).toISOString();
  const write = (key: string, input: WriteInput) => {
    const short = random.chance(profile.shortTimeout.probability);
    const { minMs, maxMs } = profile.shortTimeout;
    return executeWrite(context, {
      ...spec,
      key,
      input,
      shortTimeoutMs: short ? random.int(minMs, maxMs) : undefined,
      random,
    });
  };
  const placed = await write(spec.key, {
    kind: 'hold',
    walletId,
    receiverWalletId,
    amountCents,
    expiresAt,
  });
  const holdId = acknowledgedId(placed);
  if (holdId === undefined) return;
  const roll = random.next();
  if (roll < 0.15) return; // left to expire
  const hold = { holdId, holdKey: spec.key };
  if (roll < 0.35) {
    await write(`${spec.key}-void`, { kind: 'void', ...hold, amountCents });
    return;
  }
  const whole = random.chance(0.5);
  const captured = whole ? amountCents : BigInt(random.int(1, Number(amountCents)));
  const capture = { kind: 'capture', ...hold, walletId, receiverWalletId, whole } as const;
  await write(`${spec.key}-capture`, { ...capture, amountCents: captured });
  if (random.chance(0.2)) {
    await write(`${spec.key}-capture-again`, { ...capture, amountCents: captured });
  }
}

/** The id an acknowledged write was given (a hold's id for a placement). */
function acknowledgedId(op: WriteOp): string | undefined {
  const { outcome } = op;
  if (outcome.type === 'ok' || outcome.type === 'ok-earlier') return outcome.transactionId;
  return undefined;
}

/** Two different wallets picked at random: over the run, money flows both ways between each pair. */
function transferInput(context: OpContext, workload: Workload, random: Random): WriteInput {
  const { wallets } = workload;
  const sender = random.int(0, wallets.length - 1);
  const receiver = (sender + random.int(1, wallets.length - 1)) % wallets.length;
  const senderWalletId = wallets[sender];
  const receiverWalletId = wallets[receiver];
  if (senderWalletId === undefined || receiverWalletId === undefined) throw new Error('no wallets');
  const amountCents = BigInt(random.int(1, context.profile.transferCentsMax));
  return { kind: 'transfer', senderWalletId, receiverWalletId, amountCents };
}

function fundInput(context: OpContext, workload: Workload, random: Random): WriteInput {
  const walletId = random.pick(workload.wallets);
  const amountCents = BigInt(random.int(1, context.profile.fundingCentsMax));
  return { kind: 'fund', walletId, amountCents };
}

function withdrawInput(context: OpContext, workload: Workload, random: Random): WriteInput {
  const walletId = random.pick(workload.wallets);
  const amountCents = BigInt(random.int(1, context.profile.withdrawalCentsMax));
  return { kind: 'withdraw', walletId, amountCents };
}

/**
 * A part of a write some client saw acknowledged with its id, picked at random: up to its
 * whole amount, so the reversals of one original sometimes add up past it (refused as
 * REVERSAL_EXCEEDS_ORIGINAL), and some find the money spent (INSUFFICIENT_FUNDS).
 * Undefined while no write is acknowledged yet.
 */
function reverseInput(workload: Workload, random: Random): WriteInput | undefined {
  if (workload.reversible.length === 0) return undefined;
  const original = random.pick(workload.reversible);
  const amountCents = BigInt(random.int(1, Number(original.amountCents)));
  return { kind: 'reverse', original, amountCents };
}

function reversibleOriginalOf(op: WriteOp): ReversedOriginal | undefined {
  const { input, outcome } = op;
  if (outcome.type !== 'ok' && outcome.type !== 'ok-earlier') return undefined;
  if (outcome.transactionId === undefined) return undefined;
  // A hold's writes are not reversed here: a capture's transaction is the hold's own.
  if (input.kind !== 'fund' && input.kind !== 'withdraw' && input.kind !== 'transfer') {
    return undefined;
  }
  const { transactionId } = outcome;
  return input.kind === 'transfer'
    ? {
        kind: 'transfer',
        transactionId,
        amountCents: input.amountCents,
        walletId: input.senderWalletId,
        receiverWalletId: input.receiverWalletId,
      }
    : {
        kind: input.kind,
        transactionId,
        amountCents: input.amountCents,
        walletId: input.walletId,
        receiverWalletId: undefined,
      };
}
