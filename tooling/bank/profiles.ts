/**
 * What a run does and for how long. `short` is the CI profile: about half a minute of
 * wall time with one fault of each kind; `long` is for a run by hand, five minutes with
 * a fault every quarter of a minute.
 */

export type Fault =
  /** SIGKILL one API process, then start it again on the same port. */
  | { kind: 'kill-api'; api: number }
  /** SIGKILL every API process at once, then start them again. */
  | { kind: 'kill-all-apis' }
  /** Stop PostgreSQL (fast shutdown), keep it down for `downMs`, start it on the same data. */
  | { kind: 'db-restart'; downMs: number };

export interface PlannedFault {
  /** From the start of the workload. */
  atMs: number;
  fault: Fault;
}

export interface Profile {
  name: 'short' | 'long' | 'failover';
  apiCount: number;
  /** Connections per API process. */
  poolMax: number;
  walletCount: number;
  clientCount: number;
  durationMs: number;
  initialFundingCents: bigint;
  transferCentsMax: number;
  fundingCentsMax: number;
  withdrawalCentsMax: number;
  holdCentsMax: number;
  /** A hold's expiry, from its placement: some expire before (or while) they are resolved. */
  holdExpiryMs: { min: number; max: number };
  /**
   * Relative weights of the operations a client picks. A `hold` is a placement, then (by
   * chance) its capture (all or part, sometimes tried again with another key, which must
   * be refused), its void, or nothing (it expires).
   */
  mix: {
    transfer: number;
    fund: number;
    withdraw: number;
    /** Reversals of a part of an acknowledged write (some refused: past the original, or spent). */
    reverse: number;
    hold: number;
    totals: number;
    walletRead: number;
  };
  /**
   * A fraction of writes gets a timeout shorter than many requests take, on every one of
   * fewer attempts: some of them run out not knowing, and are resolved by reading.
   */
  shortTimeout: { probability: number; minMs: number; maxMs: number; attemptsMax: number };
  requestTimeoutMs: number;
  writeAttemptsMax: number;
  readAttemptsMax: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  thinkTimeMaxMs: number;
  /** A bound on each client's loop besides the duration. */
  opsPerClientMax: number;
  faults: PlannedFault[];
}

const common = {
  apiCount: 3,
  poolMax: 10,
  walletCount: 8,
  clientCount: 16,
  initialFundingCents: 50_000n,
  transferCentsMax: 5_000,
  fundingCentsMax: 2_000,
  // Withdrawals larger than fundings: over a run money leaves as well as enters, and some
  // are refused for insufficient funds, as transfers are.
  withdrawalCentsMax: 4_000,
  holdCentsMax: 4_000,
  holdExpiryMs: { min: 1_500, max: 20_000 },
  mix: { transfer: 50, fund: 10, withdraw: 5, reverse: 5, hold: 10, totals: 10, walletRead: 10 },
  shortTimeout: { probability: 0.15, minMs: 50, maxMs: 150, attemptsMax: 3 },
  requestTimeoutMs: 8_000,
  writeAttemptsMax: 8,
  readAttemptsMax: 6,
  backoffBaseMs: 50,
  backoffMaxMs: 1_000,
  thinkTimeMaxMs: 10,
  opsPerClientMax: 100_000,
} as const;

const SHORT: Profile = {
  ...common,
  name: 'short',
  durationMs: 20_000,
  faults: [
    { atMs: 3_000, fault: { kind: 'kill-api', api: 0 } },
    { atMs: 9_000, fault: { kind: 'db-restart', downMs: 500 } },
    { atMs: 14_000, fault: { kind: 'kill-api', api: 2 } },
  ],
};

const LONG_FAULT_CYCLE: Fault[] = [
  { kind: 'kill-api', api: 0 },
  { kind: 'db-restart', downMs: 500 },
  { kind: 'kill-api', api: 1 },
  { kind: 'db-restart', downMs: 2_000 },
  { kind: 'kill-all-apis' },
];
const LONG_DURATION_MS = 300_000;
const LONG_FAULT_EVERY_MS = 15_000;

const LONG: Profile = {
  ...common,
  name: 'long',
  durationMs: LONG_DURATION_MS,
  faults: Array.from(
    { length: Math.floor(LONG_DURATION_MS / LONG_FAULT_EVERY_MS) - 1 },
    (_, index) => ({
      atMs: (index + 1) * LONG_FAULT_EVERY_MS,
      fault: LONG_FAULT_CYCLE[index % LONG_FAULT_CYCLE.length] ?? { kind: 'kill-all-apis' },
    }),
  ),
};

/**
 * `pnpm test:failover` (failover.ts): two API processes on the Patroni cluster. Its faults
 * are the failover rounds, run one after the other as soon as the cluster is whole again,
 * and the workload stops a few seconds after the last; the duration is only a bound.
 */
export const FAILOVER_PROFILE: Profile = {
  ...common,
  name: 'failover',
  apiCount: 2,
  durationMs: 150_000,
  faults: [],
};

export const PROFILES = { short: SHORT, long: LONG } as const satisfies Record<string, Profile>;
