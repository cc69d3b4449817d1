import type { FinalEntry, FinalState } from './final-state';
import {
  checkAvailable,
  checkHoldWrites,
  isCaptureOut,
  isExpectedHoldRefusal,
  isHoldWrite,
} from './hold-checks';
import {
  formatSeconds as seconds,
  type Attempt,
  type FaultEvent,
  type History,
  type Op,
  type TotalsOp,
  type TotalsResult,
  type WalletReadOp,
  type WriteOp,
} from './history';
import { checkReversalBounds, reversalShape } from './reversal-checks';

/**
 * The checker: judges a recorded history against the final state. Pure: it reads and
 * returns, nothing else. Each check names what it found; a clean run finds nothing.
 */

export interface Violation {
  check: string;
  detail: string;
}

export interface Resolutions {
  /** Ops whose outcome the client could not know, found applied once in the final state. */
  unknownApplied: number;
  unknownNotApplied: number;
  /** Refusals that followed an attempt that may have landed: resolved the same way. */
  refusedAfterAmbiguousApplied: number;
  refusedAfterAmbiguousNotApplied: number;
}

export interface CheckInput {
  history: History;
  final: FinalState;
  walletCount: number;
  /** How long after a fault healed a 503 still counts as caused by it. */
  graceMs: number;
  /** The ordinary (not deliberately short) client timeout: hitting it outside a fault is a hang. */
  requestTimeoutMs: number;
  /** API processes that exited without being told to. */
  crashes: string[];
}

export interface CheckReport {
  violations: Violation[];
  resolutions: Resolutions;
}

/** The description every write carries, so the final histories name their idempotency key. */
const KEY_IN_DESCRIPTION = /^bank (\S+)$/;

export function checkHistory(input: CheckInput): CheckReport {
  const { history, final } = input;
  const writes = history.writes();
  const matched = checkWritesAgainstFinal(writes, final);
  const violations = [
    ...input.crashes.map((detail) => ({ check: 'api process crashed', detail })),
    ...checkSnapshotReads(history.totalsReads(), writes, input.walletCount),
    ...checkBalancesSeen(history),
    ...checkWalletReads(history.walletReads()),
    ...checkAttempts(history.ops, history.faults, input.graceMs, input.requestTimeoutMs),
    ...matched.violations,
    ...checkFinalChains(final),
    ...checkFinalVerify(final, input.walletCount),
    ...checkReversalBounds(writes, final),
  ];
  return { violations, resolutions: matched.resolutions };
}

// ---------------------------------------------------------------- snapshot reads

/**
 * Every snapshot read: balances equal fundings less withdrawals, all wallets counted; and
 * against real time, fundings (and withdrawals) are at least those acknowledged before the
 * read was sent, at most those invoked before its answer came, and never fewer than a read
 * that finished earlier saw.
 */
function checkSnapshotReads(reads: TotalsOp[], writes: WriteOp[], walletCount: number) {
  const violations: Violation[] = [];
  const fundings = realTimeBounds(writes, 'fund');
  const withdrawals = realTimeBounds(writes, 'withdraw');
  const answered = reads.flatMap((read) => {
    const attempt = read.attempts.at(-1);
    return read.result && attempt ? [{ read, attempt, result: read.result }] : [];
  });
  for (const { read, attempt, result } of answered) {
    const where = `totals read by client ${read.client} at ${seconds(attempt.endedAt)}`;
    const add = (check: string, detail: string) =>
      violations.push({ check, detail: `${where}: ${detail}` });
    const [usd, ...others] = result;
    if (!usd || usd.currency !== 'USD' || others.length > 0) {
      add('snapshot read', `currencies ${JSON.stringify(result.map((t) => t.currency))}`);
      continue;
    }
    if (usd.balancesCents !== usd.fundingsCents - usd.withdrawalsCents) {
      add(
        'snapshot: balances = fundings − withdrawals',
        `balances ${usd.balancesCents} ≠ fundings ${usd.fundingsCents} − withdrawals ${usd.withdrawalsCents} cents`,
      );
    }
    if (usd.walletCount !== walletCount) {
      add('snapshot read', `${usd.walletCount} wallets, not ${walletCount}`);
    }
    for (const [name, seen, bounds] of [
      ['fundings', usd.fundingsCents, fundings],
      ['withdrawals', usd.withdrawalsCents, withdrawals],
    ] as const) {
      const lower = bounds.acknowledgedBy(attempt.startedAt);
      const upper = bounds.possibleBy(attempt.endedAt);
      if (seen < lower || seen > upper) {
        add(`snapshot: ${name} in real time`, `${name} ${seen} outside [${lower}, ${upper}] cents`);
      }
    }
  }
  return [
    ...violations,
    ...checkNeverShrinks(answered, 'fundings', (total) => total.fundingsCents),
    ...checkNeverShrinks(answered, 'withdrawals', (total) => total.withdrawalsCents),
  ];
}

/**
 * The sums of one kind of write a read may see: at least the acknowledged ones completed
 * before a time, at most the ones that may have landed, invoked before a time. A
 * reversal counts where its entry does: a withdrawal's among the fundings (a FUND), a
 * funding's among the withdrawals (a WITHDRAWAL).
 */
function realTimeBounds(writes: WriteOp[], kind: 'fund' | 'withdraw') {
  const reversed = kind === 'fund' ? 'withdraw' : 'fund';
  // A hold's capture with no receiver is a withdrawal too (of the amount it captures).
  const ofKind = writes.filter(
    (op) =>
      op.input.kind === kind ||
      (kind === 'withdraw' && isCaptureOut(op)) ||
      (op.input.kind === 'reverse' && op.input.original.kind === reversed),
  );
  return {
    acknowledgedBy: runningSum(ofKind.filter(isAcknowledged), (op) => op.completedAt),
    possibleBy: runningSum(
      ofKind.filter((op) => !isSurelyNotApplied(op)),
      (op) => op.invokedAt,
    ),
  };
}

/** For ops ordered by `time`: a function giving the sum of their amounts strictly before `t`. */
function runningSum(ops: WriteOp[], time: (op: WriteOp) => number): (t: number) => bigint {
  const sorted = [...ops].sort((a, b) => time(a) - time(b));
  const times = sorted.map(time);
  const sums = [0n];
  for (const op of sorted) sums.push((sums.at(-1) ?? 0n) + op.input.amountCents);
  return (t) => {
    let low = 0;
    let high = times.length; // the first index whose time is >= t
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((times[middle] ?? Number.POSITIVE_INFINITY) < t) low = middle + 1;
      else high = middle;
    }
    return sums[low] ?? 0n;
  };
}

/** A sum that only grows (fundings, withdrawals): no read sees less than one that ended before it began. */
function checkNeverShrinks(
  answered: { attempt: Attempt; result: TotalsResult[] }[],
  name: string,
  sumOf: (total: TotalsResult) => bigint,
): Violation[] {
  const byEnd = [...answered].sort((a, b) => a.attempt.endedAt - b.attempt.endedAt);
  const byStart = [...answered].sort((a, b) => a.attempt.startedAt - b.attempt.startedAt);
  const seenBy = (read: { result: TotalsResult[] }) => {
    const [usd] = read.result;
    return usd ? sumOf(usd) : -1n;
  };
  const violations: Violation[] = [];
  let finished = 0;
  let highest = -1n;
  for (const later of byStart) {
    for (; finished < byEnd.length; finished++) {
      const earlier = byEnd[finished];
      if (!earlier || earlier.attempt.endedAt >= later.attempt.startedAt) break;
      highest = maxBigint(highest, seenBy(earlier));
    }
    const seen = seenBy(later);
    if (seen < highest) {
      violations.push({
        check: `snapshot: ${name} never shrink`,
        detail: `read at ${seconds(later.attempt.startedAt)} saw ${seen} cents after an earlier read saw ${highest}`,
      });
    }
  }
  return violations;
}

// ---------------------------------------------------------------- balances

function checkBalancesSeen(history: History): Violation[] {
  return history.balances
    .filter((seen) => seen.balanceCents < 0n)
    .map((seen) => ({
      check: 'no negative balance',
      detail: `${seen.source} at ${seconds(seen.at)} showed wallet ${seen.walletId} at ${seen.balanceCents} cents`,
    }));
}

/** A wallet read is one snapshot: its balance is its latest entry's balance after. */
function checkWalletReads(reads: WalletReadOp[]): Violation[] {
  const violations: Violation[] = [];
  for (const read of reads) {
    if (!read.result) continue;
    const { balanceCents, entries } = read.result;
    const where = `${read.protocol} read of wallet ${read.walletId ?? '?'} at ${seconds(read.completedAt)}`;
    const latest = entries[0]?.balanceAfterCents ?? 0n;
    if (latest !== balanceCents) {
      violations.push({
        check: 'wallet read is a snapshot',
        detail: `${where}: balance ${balanceCents} but latest entry ends at ${latest}`,
      });
    }
    if (entries.some((entry) => entry.balanceBeforeCents < 0n || entry.balanceAfterCents < 0n)) {
      violations.push({
        check: 'no negative balance',
        detail: `${where}: an entry shows a negative balance`,
      });
    }
  }
  return violations;
}

// ---------------------------------------------------------------- attempts and statuses

/**
 * Statuses: no 5xx but 503, and a 503 only for an attempt that overlaps a fault window
 * (from the fault's start until `graceMs` after it healed): LEDGER_UNAVAILABLE only
 * around a database restart or failover, LEDGER_BUSY around any fault. Likewise no request goes
 * unanswered for the whole ordinary timeout outside a fault window. A fresh key is never
 * "already applied", a key never "used by a different request", and the only refusals
 * expected are a transfer's, a withdrawal's or a reversal's insufficient funds, and a
 * reversal past what is left of its original.
 */
function checkAttempts(
  ops: Op[],
  faults: FaultEvent[],
  graceMs: number,
  longTimeoutMs: number,
): Violation[] {
  const window = (fault: FaultEvent) => ({
    from: fault.startedAt,
    to: fault.recoveredAt + graceMs,
  });
  const databaseWindows = faults
    .filter((fault) => fault.kind === 'db-restart' || fault.kind === 'db-failover')
    .map(window);
  const allWindows = faults.map(window);
  const overlaps = (attempt: Attempt, windows: { from: number; to: number }[]) =>
    windows.some(({ from, to }) => attempt.startedAt <= to && attempt.endedAt >= from);
  const violations: Violation[] = [];
  for (const op of ops) {
    const name = op.kind === 'write' ? `${op.input.kind} ${op.key}` : `${op.kind} read`;
    op.attempts.forEach((attempt, index) => {
      const where = `${name}, attempt ${index + 1} (${attempt.protocol}, api-${attempt.endpoint}, ${seconds(attempt.startedAt)}–${seconds(attempt.endedAt)})`;
      const { outcome } = attempt;
      const add = (check: string, detail: string) =>
        violations.push({ check, detail: `${where}: ${detail}` });
      if (outcome.type === 'server-error')
        add('no 5xx but 503', `${outcome.status} ${outcome.message}`);
      if (outcome.type === 'bad-response')
        add('well-formed responses', `${outcome.status} ${outcome.detail}`);
      if (outcome.type === 'unavailable' && !overlaps(attempt, databaseWindows)) {
        add(
          '503 only near faults',
          `LEDGER_UNAVAILABLE outside any database restart: ${outcome.message}`,
        );
      }
      if (outcome.type === 'busy' && !overlaps(attempt, allWindows)) {
        add('503 only near faults', `LEDGER_BUSY outside any fault: ${outcome.message}`);
      }
      if (
        outcome.type === 'timeout' &&
        outcome.timeoutMs >= longTimeoutMs &&
        !overlaps(attempt, allWindows)
      ) {
        add('no request hangs outside faults', `no answer within ${outcome.timeoutMs} ms`);
      }
      if (outcome.type === 'applied-earlier' && index === 0) {
        add(
          'fresh keys are fresh',
          `a first attempt was told it had been applied (${outcome.transactionId})`,
        );
      }
      if (outcome.type === 'refused' && !isExpectedRefusal(op, outcome.reason, outcome.message)) {
        add('expected refusals only', `${outcome.status} ${outcome.reason}: ${outcome.message}`);
      }
    });
  }
  return violations;
}

function isExpectedRefusal(op: Op, reason: string, message: string): boolean {
  if (op.kind !== 'write') return false;
  const { kind } = op.input;
  if (isHoldWrite(op) && isExpectedHoldRefusal(op, reason, message)) return true;
  // Reversals name parts of acknowledged writes at random: some add up past the original.
  if (kind === 'reverse' && reason === 'REVERSAL_EXCEEDS_ORIGINAL') return true;
  return (
    kind !== 'fund' && kind !== 'capture' && kind !== 'void' && reason === 'INSUFFICIENT_FUNDS'
  );
}

// ---------------------------------------------------------------- writes against the final state

function checkWritesAgainstFinal(writes: WriteOp[], final: FinalState) {
  const byKey = new Map<string, FinalEntry[]>();
  const violations: Violation[] = [];
  for (const entry of final.wallets.flatMap((wallet) => wallet.entries)) {
    const key = KEY_IN_DESCRIPTION.exec(entry.description ?? '')?.[1];
    if (key === undefined) {
      violations.push({
        check: 'no phantom entries',
        detail: `entry ${entry.id} names no key: ${JSON.stringify(entry.description)}`,
      });
      continue;
    }
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const known = new Set(writes.map((op) => op.key));
  for (const [key, entries] of byKey) {
    if (!known.has(key)) {
      violations.push({
        check: 'no phantom entries',
        detail: `${entries.length} entries for key ${key}, which no client sent`,
      });
    }
  }
  const resolutions: Resolutions = {
    unknownApplied: 0,
    unknownNotApplied: 0,
    refusedAfterAmbiguousApplied: 0,
    refusedAfterAmbiguousNotApplied: 0,
  };
  violations.push(...checkHoldWrites(writes, byKey), ...checkAvailable(final));
  for (const op of writes.filter((write) => !isHoldWrite(write))) {
    const entries = byKey.get(op.key) ?? [];
    const problem = checkOneWrite(op, entries, resolutions);
    if (problem) violations.push(problem);
  }
  return { violations, resolutions };
}

/** Acknowledged: exactly once. Surely not applied: never. Unknown: once or not at all. */
function checkOneWrite(op: WriteOp, entries: FinalEntry[], resolutions: Resolutions) {
  const shape = appliedShape(op, entries);
  const where = `${op.input.kind} ${op.key} (${op.outcome.type})`;
  if (shape !== 'once' && shape !== 'absent') {
    return { check: 'each key applied at most once', detail: `${where}: ${shape}` };
  }
  if (isAcknowledged(op)) {
    return shape === 'once'
      ? undefined
      : {
          check: 'acknowledged writes appear exactly once',
          detail: `${where}: not in the final state`,
        };
  }
  if (isSurelyNotApplied(op)) {
    return shape === 'absent'
      ? undefined
      : { check: 'refused writes never appear', detail: `${where}: applied anyway` };
  }
  const applied = shape === 'once';
  if (op.outcome.type === 'unknown') {
    if (applied) resolutions.unknownApplied++;
    else resolutions.unknownNotApplied++;
  } else if (applied) resolutions.refusedAfterAmbiguousApplied++;
  else resolutions.refusedAfterAmbiguousNotApplied++;
  return undefined;
}

/** 'once', 'absent', or what is wrong with the entries carrying the op's key. */
function appliedShape(op: WriteOp, entries: FinalEntry[]): string {
  if (entries.length === 0) return 'absent';
  const { input } = op;
  const known =
    op.outcome.type === 'ok' || op.outcome.type === 'ok-earlier'
      ? op.outcome.transactionId
      : undefined;
  if (input.kind === 'reverse') return reversalShape(input, entries, known);
  if (input.kind === 'fund' || input.kind === 'withdraw') {
    const [entry, ...more] = entries;
    const type = input.kind === 'fund' ? 'FUND' : 'WITHDRAWAL';
    if (!entry || more.length > 0) return `${entries.length} entries for one ${type}`;
    if (entry.type !== type || entry.walletId !== input.walletId)
      return `entry ${entry.id} is a ${entry.type} on ${entry.walletId}`;
    if (entry.amountCents !== input.amountCents)
      return `entry ${entry.id} is ${entry.amountCents} cents, not ${input.amountCents}`;
    if (known !== undefined && entry.id !== known)
      return `entry ${entry.id}, but the client was told ${known}`;
    return 'once';
  }
  if (input.kind !== 'transfer') return `a ${input.kind} checked as a movement`;
  const outs = entries.filter((entry) => entry.type === 'TRANSFER_OUT');
  const ins = entries.filter((entry) => entry.type === 'TRANSFER_IN');
  const [out] = outs;
  const [into] = ins;
  if (!out || !into || outs.length !== 1 || ins.length !== 1 || entries.length !== 2) {
    return `${outs.length} TRANSFER_OUT and ${ins.length} TRANSFER_IN of ${entries.length} entries`;
  }
  if (out.transferId === null || out.transferId !== into.transferId)
    return `legs of different transfers (${out.transferId} / ${into.transferId})`;
  if (out.walletId !== input.senderWalletId || into.walletId !== input.receiverWalletId)
    return `transfer ${out.transferId} moved ${out.walletId} → ${into.walletId}`;
  if (out.counterpartyWalletId !== into.walletId || into.counterpartyWalletId !== out.walletId)
    return `transfer ${out.transferId} names the wrong counterparties`;
  if (out.amountCents !== input.amountCents || into.amountCents !== input.amountCents)
    return `transfer ${out.transferId} moved ${out.amountCents}/${into.amountCents} cents, not ${input.amountCents}`;
  if (known !== undefined && out.transferId !== known)
    return `transfer ${out.transferId}, but the client was told ${known}`;
  return 'once';
}

// ---------------------------------------------------------------- the final state itself

/** Each wallet's history read back oldest first: a chain from 0 to its balance, never below 0. */
function checkFinalChains(final: FinalState): Violation[] {
  const violations: Violation[] = [];
  for (const wallet of final.wallets) {
    let balance = 0n;
    for (const entry of [...wallet.entries].reverse()) {
      const debit = entry.type === 'TRANSFER_OUT' || entry.type === 'WITHDRAWAL';
      const delta = debit ? -entry.amountCents : entry.amountCents;
      const broken =
        entry.balanceBeforeCents !== balance || entry.balanceAfterCents !== balance + delta;
      if (broken || entry.balanceAfterCents < 0n) {
        violations.push({
          check: 'final history is a chain',
          detail: `wallet ${wallet.id}, entry ${entry.id}: ${entry.balanceBeforeCents} → ${entry.balanceAfterCents} after ${balance}`,
        });
      }
      balance = entry.balanceAfterCents;
    }
    if (balance !== wallet.balanceCents) {
      violations.push({
        check: 'final history is a chain',
        detail: `wallet ${wallet.id}: balance ${wallet.balanceCents}, history ends at ${balance}`,
      });
    }
  }
  return violations;
}

function checkFinalVerify(final: FinalState, walletCount: number): Violation[] {
  const { verify, wallets } = final;
  const violations: Violation[] = verify.violations.map((violation) => ({
    check: 'ledger.verify clean',
    detail: `${violation.kind} [${violation.walletIds.join(', ')}] ${violation.detail}`,
  }));
  const entries = wallets.flatMap((wallet) => wallet.entries);
  const sumOf = (type: FinalEntry['type']) =>
    entries
      .filter((entry) => entry.type === type)
      .reduce((sum, entry) => sum + entry.amountCents, 0n);
  const fundings = sumOf('FUND');
  const withdrawals = sumOf('WITHDRAWAL');
  const balances = wallets.reduce((sum, wallet) => sum + wallet.balanceCents, 0n);
  const [usd] = verify.totals;
  if (
    verify.walletCount !== walletCount ||
    !usd ||
    usd.balancesCents !== balances ||
    usd.fundingsCents !== fundings ||
    usd.withdrawalsCents !== withdrawals
  ) {
    violations.push({
      check: 'final totals agree',
      detail: `ledger.verify totals ${JSON.stringify(verify.totals, bigintText)} vs wallets ${balances}, FUND entries ${fundings} and WITHDRAWAL entries ${withdrawals} cents`,
    });
  }
  return violations;
}

// ---------------------------------------------------------------- helpers

export function isAcknowledged(op: WriteOp): boolean {
  return op.outcome.type === 'ok' || op.outcome.type === 'ok-earlier';
}

export function isSurelyNotApplied(op: WriteOp): boolean {
  return op.outcome.type === 'failed' || (op.outcome.type === 'refused' && op.outcome.definite);
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function bigintText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
