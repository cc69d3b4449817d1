import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { restWallet } from '@wallet/contract';
import {
  restError,
  restFundResult,
  restHold,
  restReversalResult,
  restTransferResult,
  restWalletWithTransactions,
} from '@wallet/contract';
import superjson from 'superjson';
import { z } from 'zod';

import type { AppRouter } from '@wallet/api';
import type {
  AttemptOutcome,
  Protocol,
  TotalsResult,
  WalletReadResult,
  WriteInput,
} from './history';
import { centsOfJsonNumber, centsOfText, centsToJsonNumber, centsToText } from './money';
import { HARNESS_AUTHORIZATION } from '@wallet/api/harness/harness-auth';

/**
 * One HTTP attempt against one API process, over REST or tRPC, with a client-side
 * timeout (an AbortController), told as an AttemptOutcome. Retrying is the caller's
 * business (operations.ts); nothing here loops.
 */

export type TrpcClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface Endpoint {
  index: number;
  baseUrl: string;
  trpc: TrpcClient;
}

export function createEndpoint(index: number, baseUrl: string): Endpoint {
  const trpc = createTRPCClient<AppRouter>({
    // One request per call (no batching): each attempt is one HTTP exchange.
    links: [
      httpLink({ url: `${baseUrl}/trpc`, transformer: superjson, headers: HARNESS_AUTHORIZATION }),
    ],
  });
  return { index, baseUrl, trpc };
}

export interface AttemptResult<R> {
  outcome: AttemptOutcome;
  /** Present when the outcome is `ok`. */
  reply: R | undefined;
}

export interface WalletSeen {
  id: string;
  balanceCents: bigint;
}

export interface WriteReply {
  /** The FUND or WITHDRAWAL entry's id, the transfer's or the reversal's id, as the response names it. */
  transactionId: string | undefined;
  wallets: WalletSeen[];
}

export interface WriteRequest {
  input: WriteInput;
  key: string;
  description: string;
}

const APPLIED_EARLIER = /this request was applied as (?:transaction|hold) ([0-9a-f-]{36})/;

/** What the holds' writes answer over REST: the hold, and a capture's transaction. */
const restHoldReply = z.object({ hold: restHold, transactionId: z.uuid().optional() });

// ---------------------------------------------------------------- attempts

export function attemptWrite(
  endpoint: Endpoint,
  protocol: Protocol,
  request: WriteRequest,
  timeoutMs: number,
): Promise<AttemptResult<WriteReply>> {
  return withTimeout(timeoutMs, (signal) =>
    protocol === 'rest'
      ? restWrite(endpoint, request, signal)
      : trpcWrite(endpoint, request, signal),
  );
}

export function attemptTotals(
  endpoint: Endpoint,
  timeoutMs: number,
): Promise<AttemptResult<TotalsResult[]>> {
  return withTimeout(timeoutMs, async (signal) => {
    const totals = await endpoint.trpc.ledger.totals.query(undefined, { signal });
    return ok(
      totals.map((total) => ({
        currency: total.currency,
        walletCount: total.walletCount,
        balancesCents: centsOfText(total.balances),
        fundingsCents: centsOfText(total.fundings),
        withdrawalsCents: centsOfText(total.withdrawals),
      })),
    );
  });
}

export function attemptWalletRead(
  endpoint: Endpoint,
  protocol: Protocol,
  walletId: string,
  timeoutMs: number,
): Promise<AttemptResult<WalletReadResult>> {
  return withTimeout(timeoutMs, async (signal) => {
    if (protocol === 'trpc') {
      const wallet = await endpoint.trpc.wallets.byId.query({ walletId }, { signal });
      return ok({
        balanceCents: centsOfText(wallet.balance),
        entries: wallet.transactions.map((entry) => ({
          balanceBeforeCents: centsOfText(entry.balanceBefore),
          balanceAfterCents: centsOfText(entry.balanceAfter),
        })),
      });
    }
    return restCall(endpoint, 'GET', `/wallets/${walletId}`, undefined, signal, (body) => {
      const wallet = restWalletWithTransactions.parse(body);
      return {
        balanceCents: centsOfJsonNumber(wallet.balance),
        entries: wallet.transactions.map((entry) => ({
          balanceBeforeCents: centsOfJsonNumber(entry.balanceBefore),
          balanceAfterCents: centsOfJsonNumber(entry.balanceAfter),
        })),
      };
    });
  });
}

/** A plain REST call for set-up and final reads: the parsed body of a 2xx, or the outcome. */
export function attemptRest<R>(
  endpoint: Endpoint,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  timeoutMs: number,
  parse: (body: unknown) => R,
): Promise<AttemptResult<R>> {
  return withTimeout(timeoutMs, (signal) => restCall(endpoint, method, path, body, signal, parse));
}

// ---------------------------------------------------------------- REST

function restWrite(
  endpoint: Endpoint,
  { input, key, description }: WriteRequest,
  signal: AbortSignal,
): Promise<AttemptResult<WriteReply>> {
  if (input.kind === 'hold' || input.kind === 'capture' || input.kind === 'void') {
    return restHoldWrite(endpoint, input, key, description, signal);
  }
  const amount = centsToJsonNumber(input.amountCents);
  const common = { amount, idempotencyKey: key, description };
  if (input.kind === 'reverse') {
    const path = `/transactions/${input.original.transactionId}/reverse`;
    // The answer names no balance: the wallets' are seen by the reads.
    return restCall(endpoint, 'POST', path, common, signal, (body) => ({
      transactionId: restReversalResult.parse(body).transactionId,
      wallets: [],
    }));
  }
  if (input.kind === 'fund' || input.kind === 'withdraw') {
    return restCall(
      endpoint,
      'POST',
      input.kind === 'fund' ? '/wallets/fund' : '/wallets/withdraw',
      { wallet_id: input.walletId, ...common },
      signal,
      (body) => {
        const { transactionId, ...wallet } = restFundResult.parse(body);
        return { transactionId, wallets: [restWalletSeen(wallet)] };
      },
    );
  }
  const transfer = {
    senderWalletId: input.senderWalletId,
    receiverWalletId: input.receiverWalletId,
    ...common,
  };
  return restCall(endpoint, 'POST', '/wallets/transfer', transfer, signal, (body) => {
    const { sender, receiver, transactionId } = restTransferResult.parse(body);
    return {
      transactionId,
      wallets: [restWalletSeen(sender), restWalletSeen(receiver)],
    };
  });
}

type HoldInput = Extract<WriteInput, { kind: 'hold' | 'capture' | 'void' }>;

/** A hold's placement (its id is the reply's transactionId), capture or void, over REST. */
function restHoldWrite(
  endpoint: Endpoint,
  input: HoldInput,
  key: string,
  description: string,
  signal: AbortSignal,
): Promise<AttemptResult<WriteReply>> {
  const parse = (body: unknown): WriteReply => {
    const { hold, transactionId } = restHoldReply.parse(body);
    return { transactionId: input.kind === 'hold' ? hold.id : transactionId, wallets: [] };
  };
  if (input.kind === 'hold') {
    const body = {
      wallet_id: input.walletId,
      amount: centsToText(input.amountCents),
      ...(input.receiverWalletId === null ? {} : { receiver_wallet_id: input.receiverWalletId }),
      expires_at: input.expiresAt,
      idempotency_key: key,
      description,
    };
    return restCall(endpoint, 'POST', '/holds', body, signal, parse);
  }
  const body =
    input.kind === 'capture' && !input.whole
      ? { amount: centsToText(input.amountCents), idempotency_key: key }
      : { idempotency_key: key };
  return restCall(endpoint, 'POST', `/holds/${input.holdId}/${input.kind}`, body, signal, parse);
}

/** The same over tRPC. */
async function trpcHoldWrite(
  endpoint: Endpoint,
  input: HoldInput,
  key: string,
  description: string,
  signal: AbortSignal,
): Promise<AttemptResult<WriteReply>> {
  if (input.kind === 'hold') {
    const { hold } = await endpoint.trpc.holds.place.mutate(
      {
        walletId: input.walletId,
        amount: centsToText(input.amountCents),
        ...(input.receiverWalletId === null ? {} : { receiverWalletId: input.receiverWalletId }),
        expiresAt: input.expiresAt,
        idempotencyKey: key,
        description,
      },
      { signal },
    );
    return ok({ transactionId: hold.id, wallets: [] });
  }
  if (input.kind === 'void') {
    await endpoint.trpc.holds.void.mutate(
      { holdId: input.holdId, idempotencyKey: key },
      { signal },
    );
    return ok({ transactionId: undefined, wallets: [] });
  }
  const amount = input.whole ? {} : { amount: centsToText(input.amountCents) };
  const { transactionId } = await endpoint.trpc.holds.capture.mutate(
    { holdId: input.holdId, ...amount, idempotencyKey: key },
    { signal },
  );
  return ok({ transactionId, wallets: [] });
}

function restWalletSeen(wallet: z.infer<typeof restWallet>): WalletSeen {
  return { id: wallet.id, balanceCents: centsOfJsonNumber(wallet.balance) };
}

async function restCall<R>(
  endpoint: Endpoint,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  signal: AbortSignal,
  parse: (body: unknown) => R,
): Promise<AttemptResult<R>> {
  const response = await fetch(`${endpoint.baseUrl}${path}`, {
    method,
    signal,
    ...(body === undefined
      ? { headers: HARNESS_AUTHORIZATION }
      : {
          headers: { ...HARNESS_AUTHORIZATION, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return failed({ type: 'bad-response', status: response.status, detail: text.slice(0, 200) });
  }
  if (response.ok) {
    try {
      return ok(parse(parsed));
    } catch (error) {
      return failed({ type: 'bad-response', status: response.status, detail: String(error) });
    }
  }
  const problem = restError.safeParse(parsed);
  if (!problem.success) {
    return failed({ type: 'bad-response', status: response.status, detail: text.slice(0, 200) });
  }
  return failed(outcomeOfStatus(response.status, problem.data.code, problem.data.message));
}

// ---------------------------------------------------------------- tRPC

async function trpcWrite(
  endpoint: Endpoint,
  { input, key, description }: WriteRequest,
  signal: AbortSignal,
): Promise<AttemptResult<WriteReply>> {
  if (input.kind === 'hold' || input.kind === 'capture' || input.kind === 'void') {
    return trpcHoldWrite(endpoint, input, key, description, signal);
  }
  const amount = centsToText(input.amountCents);
  const common = { amount, idempotencyKey: key, description };
  if (input.kind === 'reverse') {
    const result = await endpoint.trpc.transactions.reverse.mutate(
      { transactionId: input.original.transactionId, ...common },
      { signal },
    );
    return ok({ transactionId: result.reversalId, wallets: result.wallets.map(trpcWalletSeen) });
  }
  if (input.kind === 'fund' || input.kind === 'withdraw') {
    const movement = { walletId: input.walletId, ...common };
    const result =
      input.kind === 'fund'
        ? await endpoint.trpc.wallets.fund.mutate(movement, { signal })
        : await endpoint.trpc.wallets.withdraw.mutate(movement, { signal });
    return ok({ transactionId: result.transaction.id, wallets: [trpcWalletSeen(result.wallet)] });
  }
  const result = await endpoint.trpc.wallets.transfer.mutate(
    { senderWalletId: input.senderWalletId, receiverWalletId: input.receiverWalletId, ...common },
    { signal },
  );
  return ok({
    transactionId: result.transferId,
    wallets: [trpcWalletSeen(result.sender), trpcWalletSeen(result.receiver)],
  });
}

function trpcWalletSeen(wallet: { id: string; balance: string }): WalletSeen {
  return { id: wallet.id, balanceCents: centsOfText(wallet.balance) };
}

// ---------------------------------------------------------------- outcomes

function ok<R>(reply: R): AttemptResult<R> {
  return { outcome: { type: 'ok' }, reply };
}

function failed<R>(outcome: AttemptOutcome): AttemptResult<R> {
  return { outcome, reply: undefined };
}

async function withTimeout<R>(
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<AttemptResult<R>>,
): Promise<AttemptResult<R>> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeoutMs);
  try {
    return await run(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return failed({ type: 'timeout', timeoutMs });
    return failed(outcomeOfError(error));
  } finally {
    clearTimeout(timer);
  }
}

/** What an HTTP status says, with the tRPC ledger code when there is one. */
function outcomeOfStatus(
  status: number,
  ledgerCode: string | undefined,
  message: string,
): AttemptOutcome {
  if (status === 409) {
    const applied = APPLIED_EARLIER.exec(message);
    if (applied?.[1]) return { type: 'applied-earlier', transactionId: applied[1] };
    return { type: 'refused', status, reason: 'KEY_USED_BY_DIFFERENT_REQUEST', message };
  }
  if (status === 503) {
    const busy = ledgerCode === 'LEDGER_BUSY' || /\bbusy\b/.test(message);
    return { type: busy ? 'busy' : 'unavailable', status, message };
  }
  if (status >= 400 && status < 500) {
    return { type: 'refused', status, reason: ledgerCode ?? reasonOf(status, message), message };
  }
  if (status >= 500) return { type: 'server-error', status, message };
  return { type: 'bad-response', status, detail: message };
}

/** An error without a catalogue code: the two refusals this workload expects are told by their words. */
function reasonOf(status: number, message: string): string {
  if (status === 400 && message.startsWith('Insufficient balance')) return 'INSUFFICIENT_FUNDS';
  if (status === 404) return 'WALLET_NOT_FOUND';
  return `HTTP_${status}`;
}

function outcomeOfError(error: unknown): AttemptOutcome {
  if (error instanceof TRPCClientError) {
    const data = error.data as { httpStatus?: unknown; ledgerCode?: unknown } | undefined;
    if (typeof data?.httpStatus === 'number') {
      const ledgerCode = typeof data.ledgerCode === 'string' ? data.ledgerCode : undefined;
      return outcomeOfStatus(data.httpStatus, ledgerCode, error.message);
    }
  }
  const code = networkCodeOf(error);
  if (code === 'ECONNREFUSED') return { type: 'connection-refused', code };
  if (code !== undefined) return { type: 'connection-lost', code };
  return { type: 'bad-response', status: 0, detail: String(error) };
}

/** The first `code` down the cause chain: undici puts the socket's error under `cause`. */
function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}
