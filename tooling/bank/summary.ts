import type { CheckReport } from './checker';
import type { LogTail } from './cluster';
import type { AttemptOutcome, History, WriteOp } from './history';
import type { Profile } from './profiles';
import type { WebhookFigures } from './webhook-checks';

/** The figures of a run, counted from its history, and printed as a short report. */

export interface RunFacts {
  profile: Profile;
  seed: number;
  wallMs: number;
  workloadMs: number;
  history: History;
  report: CheckReport;
  logs: { name: string; tail: LogTail }[];
  /** The webhook receiver's figures (the bank test runs one; the failover test does not). */
  webhooks?: WebhookFigures;
}

export interface Figures {
  operations: number;
  writes: {
    transfers: number;
    fundings: number;
    withdrawals: number;
    holds: number;
    captures: number;
    voids: number;
    reversals: number;
    setUp: number;
  };
  reads: { totals: number; totalsAnswered: number; wallets: number; walletsAnswered: number };
  acknowledged: { ok: number; byConflictOnRetry: number };
  refused: Record<string, number>;
  refusedAfterAmbiguous: number;
  failed: number;
  unknown: number;
  retriedOps: number;
  attempts: number;
  attemptOutcomes: Partial<Record<AttemptOutcome['type'], number>>;
  faults: {
    apiKills: number;
    databaseRestarts: number;
    failovers: number;
    shortTimeoutsFired: number;
    shortTimeoutOps: number;
  };
}

export function countFigures(history: History): Figures {
  const writes = history.writes();
  const workload = writes.filter((op) => op.client >= 0);
  const totals = history.totalsReads();
  const walletReads = history.walletReads();
  const refused: Record<string, number> = {};
  for (const op of writes) {
    if (op.outcome.type === 'refused')
      refused[op.outcome.reason] = (refused[op.outcome.reason] ?? 0) + 1;
  }
  const attemptOutcomes: Figures['attemptOutcomes'] = {};
  for (const attempt of history.ops.flatMap((op) => op.attempts)) {
    attemptOutcomes[attempt.outcome.type] = (attemptOutcomes[attempt.outcome.type] ?? 0) + 1;
  }
  const outcomeCount = (type: WriteOp['outcome']['type']) =>
    writes.filter((op) => op.outcome.type === type).length;
  return {
    operations: history.ops.length,
    writes: {
      transfers: workload.filter((op) => op.input.kind === 'transfer').length,
      fundings: workload.filter((op) => op.input.kind === 'fund').length,
      withdrawals: workload.filter((op) => op.input.kind === 'withdraw').length,
      holds: workload.filter((op) => op.input.kind === 'hold').length,
      captures: workload.filter((op) => op.input.kind === 'capture').length,
      voids: workload.filter((op) => op.input.kind === 'void').length,
      reversals: workload.filter((op) => op.input.kind === 'reverse').length,
      setUp: writes.length - workload.length,
    },
    reads: {
      totals: totals.length,
      totalsAnswered: totals.filter((op) => op.result).length,
      wallets: walletReads.length,
      walletsAnswered: walletReads.filter((op) => op.result).length,
    },
    acknowledged: { ok: outcomeCount('ok'), byConflictOnRetry: outcomeCount('ok-earlier') },
    refused,
    refusedAfterAmbiguous: writes.filter(
      (op) => op.outcome.type === 'refused' && !op.outcome.definite,
    ).length,
    failed: outcomeCount('failed'),
    unknown: outcomeCount('unknown'),
    retriedOps: history.ops.filter((op) => op.attempts.length > 1).length,
    attempts: history.ops.reduce((sum, op) => sum + op.attempts.length, 0),
    attemptOutcomes,
    faults: {
      apiKills: history.faults.filter((fault) => fault.kind === 'kill-api').length,
      databaseRestarts: history.faults.filter((fault) => fault.kind === 'db-restart').length,
      failovers: history.faults.filter((fault) => fault.kind === 'db-failover').length,
      shortTimeoutsFired: writes.flatMap((op) =>
        op.shortTimeoutMs === undefined
          ? []
          : op.attempts.filter((a) => a.outcome.type === 'timeout'),
      ).length,
      shortTimeoutOps: writes.filter((op) => op.shortTimeoutMs !== undefined).length,
    },
  };
}

const VIOLATIONS_PRINTED_MAX = 50;

export function printSummary(facts: RunFacts): Figures {
  const figures = countFigures(facts.history);
  const { resolutions, violations } = facts.report;
  const { writes, reads, acknowledged, faults, attemptOutcomes } = figures;
  const refusedTotal = Object.values(figures.refused).reduce((sum, count) => sum + count, 0);
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const lines = [
    '',
    `bank test: profile ${facts.profile.name}, seed ${facts.seed}, ${facts.profile.clientCount} clients, ${facts.profile.walletCount} wallets, ${facts.profile.apiCount} API processes`,
    `  wall time ${seconds(facts.wallMs)} (workload ${seconds(facts.workloadMs)})`,
    `  operations      ${figures.operations}: transfers ${writes.transfers}, fundings ${writes.fundings} (+${writes.setUp} set-up), withdrawals ${writes.withdrawals}, reversals ${writes.reversals}, holds ${writes.holds} (captures ${writes.captures}, voids ${writes.voids}), snapshot reads ${reads.totals} (answered ${reads.totalsAnswered}), wallet reads ${reads.wallets} (answered ${reads.walletsAnswered})`,
    `  acknowledged    ${acknowledged.ok + acknowledged.byConflictOnRetry} (200: ${acknowledged.ok}, 409 "applied" on a retry: ${acknowledged.byConflictOnRetry})`,
    `  refused         ${refusedTotal} ${JSON.stringify(figures.refused)} (${figures.refusedAfterAmbiguous} after an attempt that may have landed)`,
    `  failed          ${figures.failed} (attempts ran out, none could have landed)`,
    `  retried         ${figures.retriedOps} ops; ${figures.attempts} attempts in all: ${JSON.stringify(attemptOutcomes)}`,
    `  unknown         ${figures.unknown} → resolved by reading: applied once ${resolutions.unknownApplied}, not applied ${resolutions.unknownNotApplied}; refusals after a maybe: applied ${resolutions.refusedAfterAmbiguousApplied}, not applied ${resolutions.refusedAfterAmbiguousNotApplied}`,
    `  faults          kill -9 ${faults.apiKills}, database restarts ${faults.databaseRestarts}, failovers ${faults.failovers}, short timeouts fired ${faults.shortTimeoutsFired} (on ${faults.shortTimeoutOps} ops given ${facts.profile.shortTimeout.minMs}–${facts.profile.shortTimeout.maxMs} ms)`,
    ...webhookLines(facts.webhooks),
    `  API/db logs     ${facts.logs.map(({ name, tail }) => `${name} warn ${tail.levels.warn} error ${tail.levels.error} fatal ${tail.levels.fatal}`).join('; ')}`,
    `  violations      ${violations.length}`,
    ...violations
      .slice(0, VIOLATIONS_PRINTED_MAX)
      .map((v) => `    VIOLATION [${v.check}] ${v.detail}`),
    ...(violations.length > VIOLATIONS_PRINTED_MAX
      ? [`    … and ${violations.length - VIOLATIONS_PRINTED_MAX} more`]
      : []),
    '',
  ];
  console.log(lines.join('\n'));
  return figures;
}

function webhookLines(webhooks: WebhookFigures | undefined): string[] {
  if (!webhooks) return [];
  const seconds = Math.round(webhooks.waitedMs / 100) / 10;
  return [
    `  webhooks        ${webhooks.accepted} events received of ${webhooks.outboxEvents} in the outbox (missing ${webhooks.missing}, unknown ${webhooks.unknown}); ${webhooks.requests} requests: duplicates ${webhooks.duplicates}, answered 500 on purpose ${webhooks.refused}, invalid signatures ${webhooks.invalidSignatures}, most in flight for one event ${webhooks.concurrentPerEventMax}; the last ones waited for ${seconds} s`,
  ];
}
