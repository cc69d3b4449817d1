import { setTimeout as sleep } from 'node:timers/promises';

import {
  attemptTotals,
  attemptWalletRead,
  attemptWrite,
  type AttemptResult,
  type Endpoint,
  type WalletSeen,
} from './clients';
import {
  isAmbiguous,
  type Attempt,
  type AttemptOutcome,
  type History,
  type Protocol,
  type TotalsOp,
  type WalletReadOp,
  type WriteInput,
  type WriteOp,
  type WriteOutcome,
} from './history';
import type { Profile } from './profiles';
import type { Random } from './random';

/**
 * A careful client: every write carries its own idempotency key, and a timeout, a broken
 * or refused connection, or a 503 is retried with the SAME key, a bounded number of times,
 * after a growing, jittered pause, on the other API process. A 409 "this request was
 * applied" on a retry is the acknowledgement the lost response would have been.
 */

export interface OpContext {
  endpoints: Endpoint[];
  profile: Profile;
  history: History;
  now: () => number;
}

export interface WriteSpec {
  client: number;
  key: string;
  input: WriteInput;
  protocol: Protocol;
  /** The API process of the first attempt; retries alternate. */
  endpoint: number;
  /** A deliberately short timeout for every attempt; the profile's otherwise. */
  shortTimeoutMs: number | undefined;
  random: Random;
}

export async function executeWrite(context: OpContext, spec: WriteSpec): Promise<WriteOp> {
  const { profile, history, now } = context;
  const description = `bank ${spec.key}`;
  const request = { input: spec.input, key: spec.key, description };
  const timeoutMs = spec.shortTimeoutMs ?? profile.requestTimeoutMs;
  const attemptsMax =
    spec.shortTimeoutMs === undefined ? profile.writeAttemptsMax : profile.shortTimeout.attemptsMax;
  const attempts: Attempt[] = [];
  const invokedAt = now();
  let outcome: WriteOutcome | undefined;
  for (let attempt = 1; attempt <= attemptsMax && !outcome; attempt++) {
    if (attempt > 1) await sleep(backoffMs(profile, attempt, spec.random));
    const endpoint = endpointFor(context, spec.endpoint, attempt);
    const startedAt = now();
    const result = await attemptWrite(endpoint, spec.protocol, request, timeoutMs);
    const endedAt = now();
    const { outcome: attemptOutcome, reply } = result;
    attempts.push({
      endpoint: endpoint.index,
      protocol: spec.protocol,
      startedAt,
      endedAt,
      outcome: attemptOutcome,
    });
    const source = `${spec.protocol} ${spec.input.kind}`;
    recordBalances(history, reply?.wallets ?? [], endedAt, source);
    outcome = settledWrite(result, attempts);
  }
  const op: WriteOp = {
    kind: 'write',
    client: spec.client,
    key: spec.key,
    description,
    input: spec.input,
    protocol: spec.protocol,
    shortTimeoutMs: spec.shortTimeoutMs,
    invokedAt,
    completedAt: now(),
    attempts,
    outcome: outcome ?? exhausted(attempts),
  };
  history.add(op);
  return op;
}

/** The op's outcome if this attempt settles it; undefined to try again. */
function settledWrite(
  result: AttemptResult<{ transactionId: string | undefined }>,
  attempts: Attempt[],
): WriteOutcome | undefined {
  const { outcome } = result;
  switch (outcome.type) {
    case 'ok':
      return { type: 'ok', transactionId: result.reply?.transactionId };
    case 'applied-earlier':
      return { type: 'ok-earlier', transactionId: outcome.transactionId };
    case 'refused': {
      const earlier = attempts.slice(0, -1);
      const definite = !earlier.some((attempt) => isAmbiguous(attempt.outcome));
      const { status, reason, message } = outcome;
      return { type: 'refused', status, reason, message, definite };
    }
    default:
      return undefined;
  }
}

function exhausted(attempts: Attempt[]): WriteOutcome {
  const last: AttemptOutcome['type'] = attempts.at(-1)?.outcome.type ?? 'timeout';
  return attempts.some((attempt) => isAmbiguous(attempt.outcome))
    ? { type: 'unknown', last }
    : { type: 'failed', last };
}

// ---------------------------------------------------------------- reads

export async function executeTotalsRead(
  context: OpContext,
  client: number,
  endpoint: number,
  random: Random,
): Promise<TotalsOp> {
  const invokedAt = context.now();
  const { attempts, reply } = await retryRead(context, endpoint, 'trpc', random, (target) =>
    attemptTotals(target, context.profile.requestTimeoutMs),
  );
  const op: TotalsOp = {
    kind: 'totals',
    client,
    protocol: 'trpc',
    walletId: undefined,
    invokedAt,
    completedAt: context.now(),
    attempts,
    result: reply,
  };
  context.history.add(op);
  return op;
}

export async function executeWalletRead(
  context: OpContext,
  client: number,
  endpoint: number,
  protocol: Protocol,
  walletId: string,
  random: Random,
): Promise<WalletReadOp> {
  const invokedAt = context.now();
  const { attempts, reply } = await retryRead(context, endpoint, protocol, random, (target) =>
    attemptWalletRead(target, protocol, walletId, context.profile.requestTimeoutMs),
  );
  if (reply) {
    const at = attempts.at(-1)?.endedAt ?? context.now();
    const wallets = [{ id: walletId, balanceCents: reply.balanceCents }];
    recordBalances(context.history, wallets, at, `${protocol} wallet read`);
  }
  const op: WalletReadOp = {
    kind: 'wallet',
    client,
    protocol,
    walletId,
    invokedAt,
    completedAt: context.now(),
    attempts,
    result: reply,
  };
  context.history.add(op);
  return op;
}

/** Reads change nothing: any failure but a refusal is simply tried again, elsewhere. */
async function retryRead<R>(
  context: OpContext,
  firstEndpoint: number,
  protocol: Protocol,
  random: Random,
  read: (endpoint: Endpoint) => Promise<AttemptResult<R>>,
): Promise<{ attempts: Attempt[]; reply: R | undefined }> {
  const attempts: Attempt[] = [];
  for (let attempt = 1; attempt <= context.profile.readAttemptsMax; attempt++) {
    if (attempt > 1) await sleep(backoffMs(context.profile, attempt, random));
    const endpoint = endpointFor(context, firstEndpoint, attempt);
    const startedAt = context.now();
    const { outcome, reply } = await read(endpoint);
    attempts.push({
      endpoint: endpoint.index,
      protocol,
      startedAt,
      endedAt: context.now(),
      outcome,
    });
    if (reply !== undefined) return { attempts, reply };
    if (outcome.type === 'refused') break;
  }
  return { attempts, reply: undefined };
}

// ---------------------------------------------------------------- shared

function endpointFor(context: OpContext, first: number, attempt: number): Endpoint {
  const { endpoints } = context;
  const endpoint = endpoints[(first + attempt - 1) % endpoints.length];
  if (!endpoint) throw new Error('no API endpoints');
  return endpoint;
}

/** base·2^(n-2), at most the cap, times a random factor in [0.5, 1). */
function backoffMs(profile: Profile, attempt: number, random: Random): number {
  const ceiling = Math.min(profile.backoffMaxMs, profile.backoffBaseMs * 2 ** (attempt - 2));
  return Math.round(ceiling * (0.5 + random.next() / 2));
}

function recordBalances(history: History, wallets: WalletSeen[], at: number, source: string) {
  for (const wallet of wallets) {
    history.sawBalance({ walletId: wallet.id, balanceCents: wallet.balanceCents, at, source });
  }
}
