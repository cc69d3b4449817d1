import type {
  CaptureHoldInput,
  GetHoldInput,
  ListHoldsInput,
  PlaceHoldInput,
  VoidHoldInput,
  CreateWalletInput,
  ListEventsInput,
  LiveEventsInput,
  FundWalletInput,
  BalanceSeriesInput,
  GetBalanceAsOfInput,
  GetTransactionInput,
  GetWalletInput,
  ListTransactionsInput,
  ListWalletsInput,
  ReverseTransactionInput,
  TransferFundsInput,
  UpdateWalletInput,
  WalletStatementInput,
  WithdrawFundsInput,
} from '@wallet/contract';
import { recordAudit, type Db, type WriteContext } from '@wallet/db';
import { liveEventsInput } from '@wallet/contract';
import { sql } from 'drizzle-orm';

import { createEventFeed } from './events/feed';
import { listEvents } from './events/read';
import { openEventStream } from './events/stream';
import { prepareFunding } from './funding';
import {
  createGroupCommitter,
  GROUP_COMMIT_DEFAULTS,
  type GroupCommitOptions,
} from './group-commit';
import { auditOfRefusal, type LedgerWriteAction } from './audit';
import { LedgerError, type LedgerErrorCode } from './errors';
import { getWallet, listTransactions } from './history';
import { SILENT_OBSERVER, type LedgerObserver } from './observer';
import { createReadRouter } from './read-routing';
import { translateDatabaseError } from './transaction';
import { prepareReversal } from './reversals';
import { prepareTransfer } from './transfers';
import { prepareWithdrawal } from './withdrawals';
import type {
  CaptureHoldResult,
  Hold,
  PlaceHoldResult,
  VoidHoldResult,
  WalletBalance,
  EventPage,
  FundResult,
  LedgerEvent,
  LedgerEntry,
  Page,
  ReverseResult,
  TransactionDetail,
  TransferResult,
  Wallet,
  WalletWithTransactions,
  WithdrawResult,
} from './types';
import { readTotals, verifyLedger, type CurrencyTotals, type VerificationReport } from './verify';
import { createWallet, listWallets } from './wallets';
import { updateWallet } from './wallet-changes';
import { expireIdempotencyKeys, type IdempotencyExpiryOptions } from './idempotency-retention';
import { getTransaction } from './transaction-detail';
import { expireHolds, type HoldExpiryOptions } from './hold-expiry';
import { getHold, getWalletBalance, listHolds } from './hold-reads';
import { prepareCaptureHold, preparePlaceHold, prepareVoidHold } from './holds';
import {
  getBalanceAsOf,
  readStatementPage,
  type BalanceAsOf,
  type WalletStatementPage,
} from './statement';
import { parseInput } from './input';
import { readBalanceSeries, type BalanceSeries } from './balance-series';

/**
 * The ledger's operations. Inputs are the contract's wire inputs, parsed here again
 * (an InvalidInputError names every wrong field), so the ledger is safe to call directly.
 */
export interface Ledger {
  /**
   * The writes take an optional context (who, which request): with it, each success is
   * recorded in the audit log in the write's own transaction, and each refusal after it.
   */
  createWallet(input: CreateWalletInput, context?: WriteContext): Promise<Wallet>;
  /**
   * An operator's change of a wallet's status (freeze, unfreeze, close) and metadata
   * (replaced whole), on its locked row (wallet-changes.ts).
   */
  updateWallet(input: UpdateWalletInput, context?: WriteContext): Promise<Wallet>;
  fundWallet(input: FundWalletInput, context?: WriteContext): Promise<FundResult>;
  transferFunds(input: TransferFundsInput, context?: WriteContext): Promise<TransferResult>;
  /** A payout: money leaves the wallet to its currency's external account. */
  withdrawFunds(input: WithdrawFundsInput, context?: WriteContext): Promise<WithdrawResult>;
  /** Reserves an amount of a wallet (its available falls) until captured, voided or expired. */
  placeHold(input: PlaceHoldInput, context?: WriteContext): Promise<PlaceHoldResult>;
  /** Moves all or part of a pending hold (to its receiver, or out), once; the rest is released. */
  captureHold(input: CaptureHoldInput, context?: WriteContext): Promise<CaptureHoldResult>;
  /** Releases a pending hold; at or past its expiry it is released as EXPIRED. */
  voidHold(input: VoidHoldInput, context?: WriteContext): Promise<VoidHoldResult>;
  getHold(input: GetHoldInput): Promise<Hold>;
  /** The holds a wallet pays, newest first. */
  listHolds(input: ListHoldsInput): Promise<Page<Hold>>;
  /** The wallet's balance, held and available. */
  getWalletBalance(input: GetWalletInput): Promise<WalletBalance>;
  /** Releases the holds past their expiry (the sweep); resolves to how many. */
  expireHolds(options?: HoldExpiryOptions): Promise<number>;
  /**
   * Puts a funding, withdrawal or transfer back, all that is left of it or a part
   * (`amount`): new entries in the opposite direction, linked to the original.
   */
  reverseTransaction(
    input: ReverseTransactionInput,
    context?: WriteContext,
  ): Promise<ReverseResult>;
  /** One funding, withdrawal, transfer (both legs) or reversal, by its id or a leg's. */
  getTransaction(input: GetTransactionInput): Promise<TransactionDetail>;
  /** Forgets the idempotency keys older than the retention; resolves to how many. */
  expireIdempotencyKeys(options: IdempotencyExpiryOptions): Promise<number>;
  /** The wallet with the latest page of its history. */
  getWallet(input: GetWalletInput): Promise<WalletWithTransactions>;
  listWallets(input: ListWalletsInput): Promise<Page<Wallet>>;
  listTransactions(input: ListTransactionsInput): Promise<Page<LedgerEntry>>;
  /** The balance after every entry stamped at or before a moment (statement.ts). */
  getBalanceAsOf(input: GetBalanceAsOfInput): Promise<BalanceAsOf>;
  /** A page of a period's statement: opening and closing balances, entries oldest first. */
  readStatementPage(input: WalletStatementInput): Promise<WalletStatementPage>;
  /** The balance at evenly spaced instants of a period (the dashboard's chart). */
  balanceSeries(input: BalanceSeriesInput): Promise<BalanceSeries>;
  /** Reconciliation: every promise of the ledger checked in one snapshot. */
  verify(): Promise<VerificationReport>;
  /** Sums of balances and of fundings, and wallet counts, per currency, in one statement. */
  readTotals(): Promise<CurrencyTotals[]>;
  /** Resolves when the database answers; rejects otherwise. */
  checkHealth(): Promise<void>;
  /** The outbox in its global order after a cursor (events/read.ts): a pull consumer's page. */
  listEvents(input: ListEventsInput): Promise<EventPage>;
  /**
   * Events as they commit, from this process's one live feed (events/feed.ts); with
   * `lastEventId`, those after it first, from the outbox. Resolves once it is live (every
   * later commit is in it); ends when `signal` aborts.
   */
  streamEvents(input: LiveEventsInput, signal?: AbortSignal): Promise<AsyncGenerator<LedgerEvent>>;
}

export interface LedgerOptions {
  /** How concurrent fundings, withdrawals and transfers share transactions (group-commit.ts). */
  groupCommit?: Partial<GroupCommitOptions>;
  /** A streaming replica for reads (read-routing.ts); without it, all reads use `db`. */
  replica?: { db: Db; waitMs?: number; pollMs?: number };
  observer?: LedgerObserver;
}

/** How long a read waits for the replica to catch up before it goes to the primary. */
export const REPLICA_WAIT_MS_DEFAULT = 100;
const REPLICA_POLL_MS = 2;

export function createLedger(db: Db, options: LedgerOptions = {}): Ledger {
  const observer = options.observer ?? SILENT_OBSERVER;
  const writes = createGroupCommitter(
    db,
    { ...GROUP_COMMIT_DEFAULTS, ...options.groupCommit },
    observer,
  );
  const routed = createReadRouter(
    db,
    options.replica && {
      replica: options.replica.db,
      waitMs: options.replica.waitMs ?? REPLICA_WAIT_MS_DEFAULT,
      pollMs: options.replica.pollMs ?? REPLICA_POLL_MS,
    },
    observer,
  );
  const feed = createEventFeed(db);
  return {
    createWallet: audited(
      db,
      'wallets.create',
      () => null,
      (input, context) => createWallet(db, input, context),
    ),
    updateWallet: audited<UpdateWalletInput, Wallet>(
      db,
      'wallets.update',
      walletIdIn('walletId'),
      (input, context) => updateWallet(db, input, context),
    ),
    fundWallet: audited<FundWalletInput, FundResult>(
      db,
      'wallets.fund',
      walletIdIn('walletId'),
      (input, context) => writes.submit(prepareFunding(input, context)),
    ),
    transferFunds: audited<TransferFundsInput, TransferResult>(
      db,
      'wallets.transfer',
      walletIdIn('senderWalletId'),
      (input, context) => writes.submit(prepareTransfer(input, context)),
    ),
    withdrawFunds: audited<WithdrawFundsInput, WithdrawResult>(
      db,
      'wallets.withdraw',
      walletIdIn('walletId'),
      (input, context) => writes.submit(prepareWithdrawal(input, context)),
    ),
    reverseTransaction: audited<ReverseTransactionInput, ReverseResult>(
      db,
      'transactions.reverse',
      walletIdIn('transactionId'),
      async (input, context) => writes.submit(await prepareReversal(db, input, context)),
    ),
    placeHold: audited<PlaceHoldInput, PlaceHoldResult>(
      db,
      'holds.place',
      walletIdIn('walletId'),
      (input, context) => writes.submit(preparePlaceHold(input, context)),
    ),
    captureHold: audited<CaptureHoldInput, CaptureHoldResult>(
      db,
      'holds.capture',
      walletIdIn('holdId'),
      (input, context) => writes.submit(prepareCaptureHold(input, context)),
    ),
    voidHold: audited<VoidHoldInput, VoidHoldResult>(
      db,
      'holds.void',
      walletIdIn('holdId'),
      (input, context) => writes.submit(prepareVoidHold(input, context)),
    ),
    getHold: guarded((input) => routed((from) => getHold(from, input))),
    listHolds: guarded((input) => routed((from) => listHolds(from, input))),
    getWalletBalance: guarded((input) => routed((from) => getWalletBalance(from, input))),
    expireHolds: guarded((options) => expireHolds(db, options)),
    getTransaction: guarded((input) => routed((from) => getTransaction(from, input))),
    expireIdempotencyKeys: guarded((options) => expireIdempotencyKeys(db, options)),
    getWallet: guarded((input) => routed((from) => getWallet(from, input))),
    listWallets: guarded((input) => routed((from) => listWallets(from, input))),
    listTransactions: guarded((input) => routed((from) => listTransactions(from, input))),
    getBalanceAsOf: guarded((input) => routed((from) => getBalanceAsOf(from, input))),
    readStatementPage: guarded((input) => routed((from) => readStatementPage(from, input))),
    balanceSeries: guarded((input) => routed((from) => readBalanceSeries(from, input))),
    verify: guarded(() => routed((from) => verifyLedger(from))),
    readTotals: guarded(() => routed((from) => readTotals(from))),
    checkHealth: guarded(async () => {
      await db.execute(sql`SELECT 1`);
    }),
    // From the primary: its horizon (the oldest running writer) is the one that decides.
    listEvents: guarded((input) => listEvents(db, input)),
    streamEvents: guarded(async (input, signal) => {
      const { lastEventId } = parseInput(liveEventsInput, input);
      return openEventStream(db, feed, { after: lastEventId, signal });
    }),
  };
}

/** The ledger's boundary: a database failure leaves it as a LedgerError when it has a meaning. */
function guarded<Args extends unknown[], Result>(
  operation: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await operation(...args);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  };
}

/**
 * Failures of the database, not refusals of the request: recording them would mean one
 * more query against a database that is down or saturated. Metrics and logs count them.
 */
const UNAUDITED_FAILURES: ReadonlySet<LedgerErrorCode> = new Set([
  'LEDGER_BUSY',
  'LEDGER_UNAVAILABLE',
]);

/**
 * A write that, given a context, also records its refusal: a domain error (nothing was
 * written) gets its own audit row after the failed transaction. Should that insert fail
 * too (the database is down), the client still gets the original error.
 */
function audited<Input, Result>(
  db: Db,
  action: LedgerWriteAction,
  targetOf: (input: Input) => string | null,
  operation: (input: Input, context?: WriteContext) => Promise<Result>,
): (input: Input, context?: WriteContext) => Promise<Result> {
  const run = guarded(operation);
  return async (input, context) => {
    try {
      return await run(input, context);
    } catch (error) {
      if (context && error instanceof LedgerError && !UNAUDITED_FAILURES.has(error.code)) {
        await recordAudit(db, [auditOfRefusal(context, action, targetOf(input), error)]).catch(
          () => undefined,
        );
      }
      throw error;
    }
  };
}

/** The wallet (or transaction) id a write names, when the (unparsed) input holds a plausible one. */
function walletIdIn(field: string) {
  return (input: unknown): string | null => {
    const value = (input as Record<string, unknown> | null | undefined)?.[field];
    return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : null;
  };
}
