import { setTimeout as sleep } from 'node:timers/promises';

import { isLeader, waitFor, type PatroniCluster } from '@wallet/ha/cluster';
import type { NodeSpec } from '@wallet/ha/config';
import type { Log } from './cluster';
import type { Attempt, AttemptOutcome, History } from './history';

/**
 * The failover rounds of `pnpm test:failover`: each loses the primary mid-storm, waits
 * until Patroni has promoted a standby, then until the old primary is back as a standby
 * (the cluster whole again), and records the loss as a fault window for the checker.
 * Then the figures of each round, read from the history: the time from the kill to the
 * first write acknowledged on the new primary, and every request that failed meanwhile.
 */

export type RoundKind = 'kill-postgres' | 'kill-patroni-and-postgres';

export interface Round {
  kind: RoundKind;
  oldLeader: string;
  newLeader: string;
  killedAt: number;
  /** Patroni's REST API first named another node the running leader. */
  promotedAt: number;
  /** The old primary followed the new one as a standby, and one standby was synchronous. */
  wholeAt: number;
}

const FAILOVER_TIMEOUT_MS = 60_000;
const REJOIN_TIMEOUT_MS = 90_000;
/** Workload on the whole cluster before the next round, so each round starts mid-storm. */
export const CALM_BEFORE_ROUND_MS = 3_000;

export interface RoundContext {
  cluster: PatroniCluster;
  history: History;
  now: () => number;
  log: Log;
  signal: AbortSignal;
}

export async function runRounds(context: RoundContext, kinds: RoundKind[]): Promise<Round[]> {
  const rounds: Round[] = [];
  for (const kind of kinds) {
    await sleep(CALM_BEFORE_ROUND_MS, undefined, { signal: context.signal });
    rounds.push(await runRound(context, kind));
  }
  return rounds;
}

async function runRound(context: RoundContext, kind: RoundKind): Promise<Round> {
  const { cluster, history, now, log } = context;
  const old = await cluster.leader();
  if (!old) throw new Error('no leader to fail over from');
  const killedAt = now();
  if (kind === 'kill-postgres') cluster.killPostgres(old);
  else cluster.killNode(old);
  const watching = new AbortController();
  const watcher = watchMembers(context, killedAt, watching.signal);
  log(
    `fault: ${kind === 'kill-postgres' ? 'kill -9 PostgreSQL' : 'kill -9 Patroni and PostgreSQL'} of the primary ${old.name}`,
  );
  const newLeader = await waitForNewLeader(cluster, old);
  const promotedAt = now();
  log(`failover: ${newLeader} promoted ${ms(promotedAt - killedAt)} after the kill`);
  // Where Patroni died with its PostgreSQL, the machine comes back: Patroni starts again,
  // rewinds the old primary's data if it must, and follows the new leader.
  if (kind === 'kill-patroni-and-postgres') cluster.startNode(old);
  await cluster.waitHealthy(REJOIN_TIMEOUT_MS);
  const wholeAt = now();
  watching.abort();
  await watcher;
  // As in the bank test, a fault lasts until what it broke is healthy again: here, until
  // the old primary follows the new one (while it starts, a connection to it is refused).
  history.fault({
    kind: 'db-failover',
    target: old.name,
    startedAt: killedAt,
    recoveredAt: wholeAt,
  });
  log(
    `healed: ${old.name} is a standby of ${newLeader} again, ${ms(wholeAt - killedAt)} after the kill`,
  );
  return { kind, oldLeader: old.name, newLeader, killedAt, promotedAt, wholeAt };
}

const WATCH_POLL_MS = 100;

/** Logs each change of the members' roles and states, from the kill on: the round's story. */
async function watchMembers(context: RoundContext, killedAt: number, signal: AbortSignal) {
  let last = '';
  while (!signal.aborted) {
    const members = await context.cluster.members();
    const seen = members
      .map((m) => `${m.name} ${m.role} ${m.state} tl${m.timeline ?? '-'}`)
      .join(', ');
    if (seen !== last) context.log(`  +${ms(context.now() - killedAt)}: ${seen || 'no answer'}`);
    last = seen;
    await sleep(WATCH_POLL_MS);
  }
}

async function waitForNewLeader(cluster: PatroniCluster, old: NodeSpec): Promise<string> {
  let leader: string | undefined;
  await waitFor(FAILOVER_TIMEOUT_MS, `a standby promoted in place of ${old.name}`, async () => {
    const found = (await cluster.members()).find(isLeader);
    leader = found && found.name !== old.name && found.state === 'running' ? found.name : undefined;
    return leader !== undefined;
  });
  if (leader === undefined) throw new Error('unreachable: waitFor resolved without a leader');
  return leader;
}

// ---------------------------------------------------------------- figures

export interface RoundFigures {
  round: Round;
  /** From the kill to the first acknowledgement of a write sent after the kill. */
  firstWriteAfterKillMs: number | undefined;
  /** Attempts that overlapped [kill, first acknowledged write] and did not succeed. */
  failed: { total: number; byOutcome: Record<string, number> };
  /**
   * Those of them the service answered with anything but a 503 in the documented shape
   * (must be none): a 500, another status, a body of another shape, a broken connection.
   */
  notA503: string[];
  /**
   * Those the client gave up on after its ordinary timeout, unanswered: allowed inside a
   * fault window, as in the bank test (their writes are resolved by their keys), counted.
   */
  unanswered: number;
}

const SUCCEEDED: AttemptOutcome['type'][] = ['ok', 'applied-earlier', 'refused'];

/**
 * A write sent after the kill -9 cannot have been committed by the killed server: its
 * acknowledgement came from the promoted standby. Failed attempts are counted over every
 * operation, reads too, except the deliberately short client timeouts (the client's own
 * choice, not the service's answer).
 */
export function roundFigures(history: History, round: Round): RoundFigures {
  const attempts = history.ops.flatMap((op) =>
    op.attempts.map((attempt) => ({
      attempt,
      write: op.kind === 'write',
      short: op.kind === 'write' && op.shortTimeoutMs !== undefined,
    })),
  );
  const firstAck = attempts
    .filter(
      ({ attempt, write }) =>
        write &&
        attempt.startedAt >= round.killedAt &&
        (attempt.outcome.type === 'ok' || attempt.outcome.type === 'applied-earlier'),
    )
    .reduce<number | undefined>(
      (earliest, { attempt }) => Math.min(earliest ?? Infinity, attempt.endedAt),
      undefined,
    );
  const windowEnd = firstAck ?? round.wholeAt;
  const failed = attempts.filter(
    ({ attempt, short }) =>
      overlaps(attempt, round.killedAt, windowEnd) &&
      !SUCCEEDED.includes(attempt.outcome.type) &&
      !(short && attempt.outcome.type === 'timeout'),
  );
  const byOutcome: Record<string, number> = {};
  const notA503: string[] = [];
  let unanswered = 0;
  for (const { attempt } of failed) {
    const label = labelOf(attempt.outcome);
    byOutcome[label] = (byOutcome[label] ?? 0) + 1;
    if (attempt.outcome.type === 'timeout') unanswered++;
    else if (attempt.outcome.type !== 'busy' && attempt.outcome.type !== 'unavailable') {
      notA503.push(`${attempt.protocol} attempt at ${ms(attempt.startedAt)}: ${label}`);
    }
  }
  return {
    round,
    firstWriteAfterKillMs: firstAck === undefined ? undefined : firstAck - round.killedAt,
    failed: { total: failed.length, byOutcome },
    notA503,
    unanswered,
  };
}

function overlaps(attempt: Attempt, from: number, to: number): boolean {
  return attempt.startedAt <= to && attempt.endedAt >= from;
}

function labelOf(outcome: AttemptOutcome): string {
  switch (outcome.type) {
    case 'busy':
      return '503 LEDGER_BUSY';
    case 'unavailable':
      return '503 LEDGER_UNAVAILABLE';
    case 'server-error':
    case 'bad-response':
      return `${outcome.type} ${outcome.status}`;
    default:
      return outcome.type;
  }
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}
