/**
 * The history of a run, as the clients saw it: every operation with its inputs, every
 * attempt with its timing and outcome, every balance a response showed, every fault.
 * Times are milliseconds of `performance.now()` in the harness process. The checker
 * reads only this and the final state; nothing here judges.
 */

export type Protocol = 'rest' | 'trpc';

/** What one HTTP attempt came to. */
export type AttemptOutcome =
  | { type: 'ok' }
  /** 409 on a retry: the same request had been applied earlier, as this transaction. */
  | { type: 'applied-earlier'; transactionId: string }
  /** A 4xx: the service refused the request; nothing was written by this attempt. */
  | { type: 'refused'; status: number; reason: string; message: string }
  /** 503 LEDGER_BUSY: nothing was written. */
  | { type: 'busy'; status: number; message: string }
  /** 503 LEDGER_UNAVAILABLE: the database did not answer; a write may have landed. */
  | { type: 'unavailable'; status: number; message: string }
  /** Any other 5xx: never expected. */
  | { type: 'server-error'; status: number; message: string }
  /** The client gave up waiting (its AbortController fired); the request may have landed. */
  | { type: 'timeout'; timeoutMs: number }
  /** Nothing listened on the port: the request never reached a server. */
  | { type: 'connection-refused'; code: string }
  /** The connection broke after the request may have been sent. */
  | { type: 'connection-lost'; code: string }
  /** A response the client could not make sense of. */
  | { type: 'bad-response'; status: number; detail: string };

export interface Attempt {
  endpoint: number;
  protocol: Protocol;
  startedAt: number;
  endedAt: number;
  outcome: AttemptOutcome;
}

/** Outcomes after which the write may have been applied without the client knowing. */
export function isAmbiguous(outcome: AttemptOutcome): boolean {
  switch (outcome.type) {
    case 'timeout':
    case 'connection-lost':
    case 'unavailable':
    case 'server-error':
    case 'bad-response':
      return true;
    case 'ok':
    case 'applied-earlier':
    case 'refused':
    case 'busy':
    case 'connection-refused':
      return false;
  }
}

export type WriteInput =
  | { kind: 'fund'; walletId: string; amountCents: bigint }
  | { kind: 'withdraw'; walletId: string; amountCents: bigint }
  | { kind: 'transfer'; senderWalletId: string; receiverWalletId: string; amountCents: bigint }
  /** A hold's placement; `expiresAt` fixed when the op is made, so every retry sends it. */
  | {
      kind: 'hold';
      walletId: string;
      receiverWalletId: string | null;
      amountCents: bigint;
      expiresAt: string;
    }
  /**
   * A capture of the hold placed by the op keyed `holdKey`: `amountCents` is what it moves
   * (the whole hold when `whole`, sent without an amount).
   */
  | {
      kind: 'capture';
      holdId: string;
      holdKey: string;
      walletId: string;
      receiverWalletId: string | null;
      amountCents: bigint;
      whole: boolean;
    }
  /** A void of the hold placed by the op keyed `holdKey` (`amountCents`: what it releases). */
  | { kind: 'void'; holdId: string; holdKey: string; amountCents: bigint }
  /** A part of an acknowledged funding, withdrawal or transfer put back. */
  | { kind: 'reverse'; original: ReversedOriginal; amountCents: bigint };

/** What a reversal's client knew of the transaction it reverses: its acknowledged write. */
export interface ReversedOriginal {
  kind: 'fund' | 'withdraw' | 'transfer';
  transactionId: string;
  amountCents: bigint;
  /** A funding's or withdrawal's wallet; a transfer's sender. */
  walletId: string;
  /** A transfer's receiver. */
  receiverWalletId: string | undefined;
}

export type WriteOutcome =
  /** Acknowledged by a 200; `transactionId` when the response names it (tRPC). */
  | { type: 'ok'; transactionId: string | undefined }
  /** Acknowledged by a 409 "this request was applied as transaction …" on a retry. */
  | { type: 'ok-earlier'; transactionId: string }
  /** Refused. `definite` when no earlier attempt may have landed: then nothing was written. */
  | { type: 'refused'; status: number; reason: string; message: string; definite: boolean }
  /** Attempts ran out, and none of them may have landed. */
  | { type: 'failed'; last: AttemptOutcome['type'] }
  /** Attempts ran out, and some may have landed: resolved by reading the final state. */
  | { type: 'unknown'; last: AttemptOutcome['type'] };

export interface WriteOp {
  kind: 'write';
  /** -1 for the set-up fundings. */
  client: number;
  key: string;
  description: string;
  input: WriteInput;
  protocol: Protocol;
  /** Set when this op's attempts used a deliberately short timeout. */
  shortTimeoutMs: number | undefined;
  invokedAt: number;
  completedAt: number;
  attempts: Attempt[];
  outcome: WriteOutcome;
}

export interface TotalsResult {
  currency: string;
  walletCount: number;
  balancesCents: bigint;
  fundingsCents: bigint;
  withdrawalsCents: bigint;
}

export interface WalletReadResult {
  balanceCents: bigint;
  /** The balances of the latest entries shown with it, newest first. */
  entries: { balanceBeforeCents: bigint; balanceAfterCents: bigint }[];
}

export interface ReadOp<K extends 'totals' | 'wallet', R> {
  kind: K;
  client: number;
  protocol: Protocol;
  walletId: string | undefined;
  invokedAt: number;
  completedAt: number;
  attempts: Attempt[];
  /** Undefined when every attempt failed. */
  result: R | undefined;
}

export type TotalsOp = ReadOp<'totals', TotalsResult[]>;
export type WalletReadOp = ReadOp<'wallet', WalletReadResult>;
export type Op = WriteOp | TotalsOp | WalletReadOp;

/** A balance some response showed. */
export interface BalanceSeen {
  walletId: string;
  balanceCents: bigint;
  at: number;
  source: string;
}

/**
 * Injected faults, and crashes: an API process that died by itself (then started again).
 * `db-failover`: the primary lost (failover.ts), until a promoted standby is the leader.
 */
export type FaultKind = 'kill-api' | 'db-restart' | 'db-failover' | 'api-crash';

/** A fault as it happened: from its start until what it broke was healthy again. */
export interface FaultEvent {
  kind: FaultKind;
  target: string;
  startedAt: number;
  recoveredAt: number;
}

export class History {
  readonly ops: Op[] = [];
  readonly balances: BalanceSeen[] = [];
  readonly faults: FaultEvent[] = [];

  add(op: Op): void {
    this.ops.push(op);
  }

  sawBalance(seen: BalanceSeen): void {
    this.balances.push(seen);
  }

  fault(event: FaultEvent): void {
    this.faults.push(event);
  }

  writes(): WriteOp[] {
    return this.ops.filter((op): op is WriteOp => op.kind === 'write');
  }

  totalsReads(): TotalsOp[] {
    return this.ops.filter((op): op is TotalsOp => op.kind === 'totals');
  }

  walletReads(): WalletReadOp[] {
    return this.ops.filter((op): op is WalletReadOp => op.kind === 'wallet');
  }

  /** The whole history as JSON (amounts as decimal strings of cents). */
  toJson(): string {
    return JSON.stringify(
      { ops: this.ops, balances: this.balances, faults: this.faults },
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    );
  }
}

/** `12345.6` ms → `"12.346 s"`: the harness's clock, as every report prints it. */
export function formatSeconds(at: number): string {
  const milliseconds = Math.round(at);
  return `${Math.floor(milliseconds / 1000)}.${String(milliseconds % 1000).padStart(3, '0')} s`;
}
