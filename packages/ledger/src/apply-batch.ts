import { formatMinor, minorDigitsOf, type CurrencyCode, type EntryType } from '@wallet/contract';
import {
  schema,
  statementsOn,
  type AuditRecord,
  type ConnectionDb,
  type Db,
  type ReservedConnection,
} from '@wallet/db';
import { asc, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { newId } from './ids';

import { amountMinorIn, assertRoomFor } from './amounts';
import { assert } from './assert';
import {
  CurrencyMismatchError,
  DuplicateIdempotencyKeyError,
  InsufficientFundsError,
  LedgerError,
  WalletNotFoundError,
} from './errors';
import { currencyOf } from './rows';
import { inPipelinedTransaction } from './transaction';
import type { LedgerEntry, Wallet } from './types';
import {
  walletIdsOf,
  type FundRequest,
  type TransferRequest,
  type WriteOutcome,
  type WriteRequest,
  type WriteResult,
} from './writes';

const { wallets, idempotencyKeys, ledgerEntries, auditLog } = schema;

/**
 * Applies a batch of fundings and transfers in ONE database transaction: one lock
 * acquisition per wallet and one commit for the whole batch, whatever its size. Each
 * request still gets its own outcome: a request that would overdraw, names a missing
 * wallet or reuses a key is refused alone, and its key is left free.
 *
 * Two round trips, whatever the batch size:
 *  1. BEGIN, claim the idempotency keys (sorted) and lock every wallet (sorted by id),
 *     pipelined;
 *  2. (only when a key was taken, a round trip of its own) read what took it;
 *  3. record the audit rows, release the keys of refused requests, append the entries,
 *     update the wallets and COMMIT, pipelined.
 * Keys are claimed before wallets are locked, each in one global order, by every
 * transaction: so two batches (in this process or another) queue, they never deadlock.
 * The business rules run in memory on the locked rows, request by request in batch
 * order, exactly as if each request had run alone in that order.
 */
export async function applyWriteBatch(
  db: Db,
  requests: readonly WriteRequest[],
): Promise<WriteOutcome[]> {
  assert(requests.length > 0, 'a batch holds at least one request');
  assertDistinctKeys(requests);
  const statements = statementsOn(db, makeBatchStatements);
  return inPipelinedTransaction(db, 'write', async (_tx, commit, run) => {
    const { claimedKeys, locked, now } = await claimAndLock(statements, run, requests);
    const takenBy = await readTakenKeys(statements, run, requests, claimedKeys);
    const plan = new BatchPlan(locked, now);
    const outcomes = requests.map((request) => plan.apply(request, takenBy));
    const released = requests.flatMap((request, index) => {
      const key = request.idempotency?.key;
      return key !== undefined && claimedKeys.has(key) && !outcomes[index]?.ok ? [key] : [];
    });
    const audited = requests.flatMap((request, index) =>
      request.audit && outcomes[index]?.ok ? [request.audit] : [],
    );
    await commit(() => writePlan(statements, run, plan, released, audited));
    return outcomes;
  });
}

function assertDistinctKeys(requests: readonly WriteRequest[]): void {
  const keys = requests.flatMap((request) => request.idempotency?.key ?? []);
  assert(new Set(keys).size === keys.length, 'an idempotency key appears twice in one batch');
}

interface LockedWallet {
  id: string;
  currency: CurrencyCode;
  balanceMinor: bigint;
  lastEntrySequence: number;
  createdAt: Date;
}

async function claimAndLock(
  statements: BatchStatements,
  run: Run,
  requests: readonly WriteRequest[],
) {
  const claims = requests
    .flatMap((request) => {
      const claim = request.idempotency;
      if (claim === null) return [];
      return [
        {
          key: claim.key,
          operation: request.kind,
          fingerprint: claim.fingerprint,
          transaction_id: request.kind === 'FUND' ? request.entryId : request.transferId,
        },
      ];
    })
    .sort((a, b) => compareText(a.key, b.key));
  const walletIds = [...new Set(requests.flatMap(walletIdsOf))].sort(compareText);

  // Sent together on the transaction's connection; PostgreSQL runs them in this order.
  const claiming =
    claims.length === 0
      ? Promise.resolve([])
      : run(statements.claimKeys, { claims: JSON.stringify(claims) });
  const locking = run(statements.lockWallets, { walletIds: `{${walletIds.join(',')}}` });
  const [claimed, rows] = await Promise.all([claiming, locking]);

  const locked = new Map<string, LockedWallet>();
  for (const row of rows) {
    locked.set(row.id, {
      id: row.id,
      currency: currencyOf(row),
      balanceMinor: row.balanceMinor,
      lastEntrySequence: row.lastEntrySequence ?? 0,
      createdAt: row.createdAt,
    });
  }
  // The transaction's start time: every entry's created_at and every wallet's updated_at.
  const now = rows[0]?.now ?? new Date();
  return { claimedKeys: new Set(claimed.map((row) => row.key)), locked, now };
}

/** Byte order, the same in every process: the global order keys and wallets are locked in. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

type TakenKeys = Map<
  string,
  { operation: string; requestFingerprint: string; transactionId: string }
>;

/** For keys this batch could not claim: what holds them. A new statement sees the commit. */
async function readTakenKeys(
  statements: BatchStatements,
  run: Run,
  requests: readonly WriteRequest[],
  claimedKeys: ReadonlySet<string>,
): Promise<TakenKeys> {
  const taken = requests.flatMap((request) => {
    const key = request.idempotency?.key;
    return key !== undefined && !claimedKeys.has(key) ? [key] : [];
  });
  const holders: TakenKeys = new Map();
  if (taken.length === 0) return holders;
  const rows = await run(statements.readTakenKeys, { keys: JSON.stringify(taken) });
  for (const row of rows) holders.set(row.key, row);
  return holders;
}

interface PlannedEntry {
  id: string;
  wallet_id: string;
  sequence: number;
  previous_sequence: number | null;
  type: EntryType;
  amount_minor: string;
  balance_before_minor: string;
  balance_after_minor: string;
  description: string | null;
  counterparty_wallet_id: string | null;
  transfer_id: string | null;
}

/**
 * The batch's effect, computed on the locked rows: the state of each wallet after every
 * request applied so far, and the entries to append.
 */
class BatchPlan {
  readonly entries: PlannedEntry[] = [];
  private readonly state: Map<string, LockedWallet>;

  constructor(
    locked: ReadonlyMap<string, LockedWallet>,
    private readonly now: Date,
  ) {
    this.state = new Map([...locked].map(([id, wallet]) => [id, { ...wallet }]));
  }

  /** The wallets this plan changed, as they will be after the batch. */
  changedWallets(): LockedWallet[] {
    const changed = new Set(this.entries.map((entry) => entry.wallet_id));
    return [...changed].map((id) => this.wallet(id));
  }

  apply(request: WriteRequest, takenBy: TakenKeys): WriteOutcome {
    try {
      const key = request.idempotency?.key;
      const holder = key === undefined ? undefined : takenBy.get(key);
      if (key !== undefined && holder) {
        const sameRequest =
          holder.operation === request.kind &&
          holder.requestFingerprint === request.idempotency?.fingerprint;
        throw new DuplicateIdempotencyKeyError(key, holder.transactionId, sameRequest);
      }
      const value: WriteResult =
        request.kind === 'FUND' ? this.fund(request) : this.transfer(request);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof LedgerError) return { ok: false, error };
      throw error;
    }
  }

  private fund(request: FundRequest) {
    const wallet = this.wallet(request.walletId);
    const amountMinor = amountMinorIn(wallet.currency, request.amount);
    assertRoomFor(wallet, amountMinor);
    const entry = this.move(wallet, 'FUND', amountMinor, request, {
      id: request.entryId,
      counterpartyWalletId: null,
      transferId: null,
    });
    return { wallet: this.view(wallet), entry };
  }

  private transfer(request: TransferRequest) {
    const sender = this.wallet(request.senderWalletId);
    const receiver = this.wallet(request.receiverWalletId);
    if (sender.currency !== receiver.currency) {
      throw new CurrencyMismatchError(sender.currency, receiver.currency);
    }
    const amountMinor = amountMinorIn(sender.currency, request.amount);
    if (sender.balanceMinor < amountMinor) {
      const digits = minorDigitsOf(sender.currency);
      throw new InsufficientFundsError(
        sender.id,
        formatMinor(sender.balanceMinor, digits),
        formatMinor(amountMinor, digits),
        sender.currency,
      );
    }
    assertRoomFor(receiver, amountMinor);
    const transferId = request.transferId;
    this.move(sender, 'TRANSFER_OUT', amountMinor, request, {
      id: newId(),
      counterpartyWalletId: receiver.id,
      transferId,
    });
    const senderAfter = this.view(sender);
    this.move(receiver, 'TRANSFER_IN', amountMinor, request, {
      id: newId(),
      counterpartyWalletId: sender.id,
      transferId,
    });
    return { transferId, sender: senderAfter, receiver: this.view(receiver) };
  }

  private wallet(id: string): LockedWallet {
    const wallet = this.state.get(id);
    if (!wallet) throw new WalletNotFoundError(id);
    return wallet;
  }

  /** Appends one entry to the plan and moves the wallet's state past it. */
  private move(
    wallet: LockedWallet,
    type: EntryType,
    amountMinor: bigint,
    request: WriteRequest,
    links: { id: string; counterpartyWalletId: string | null; transferId: string | null },
  ): LedgerEntry {
    assert(amountMinor > 0n, 'a movement amount must be positive');
    const before = wallet.balanceMinor;
    const after = type === 'TRANSFER_OUT' ? before - amountMinor : before + amountMinor;
    assert(after >= 0n, `movement would overdraw wallet ${wallet.id}`);
    const sequence = wallet.lastEntrySequence + 1;
    this.entries.push({
      id: links.id,
      wallet_id: wallet.id,
      sequence,
      previous_sequence: sequence > 1 ? sequence - 1 : null,
      type,
      amount_minor: String(amountMinor),
      balance_before_minor: String(before),
      balance_after_minor: String(after),
      description: request.description,
      counterparty_wallet_id: links.counterpartyWalletId,
      transfer_id: links.transferId,
    });
    wallet.balanceMinor = after;
    wallet.lastEntrySequence = sequence;
    return {
      id: links.id,
      walletId: wallet.id,
      sequence,
      type,
      currency: wallet.currency,
      amountMinor,
      balanceBeforeMinor: before,
      balanceAfterMinor: after,
      status: 'COMPLETED',
      description: request.description,
      counterpartyWalletId: links.counterpartyWalletId,
      transferId: links.transferId,
      createdAt: this.now,
    };
  }

  /** The wallet as its owner sees it right after the current request. */
  private view(wallet: LockedWallet): Wallet {
    return {
      id: wallet.id,
      currency: wallet.currency,
      balanceMinor: wallet.balanceMinor,
      createdAt: wallet.createdAt,
      updatedAt: this.now,
    };
  }
}

/**
 * The plan's statements, made (and so sent) at once: the audit rows of the successes,
 * the release of the keys of refused requests, every entry in one statement and every
 * changed wallet in one statement. Not async: the caller sends COMMIT right behind
 * them, so a statement that cannot be made must throw before that. Entries go
 * first: a wallet's balance must match an existing entry
 * (wallets_balance_matches_latest_entry_fk), and an entry's predecessor may be in the
 * same statement (constraints are checked when the statement ends).
 */
function writePlan(
  statements: BatchStatements,
  run: Run,
  plan: BatchPlan,
  releasedKeys: readonly string[],
  audits: readonly AuditRecord[],
): Promise<unknown>[] {
  const sent: Promise<unknown>[] = [];
  if (audits.length > 0) {
    const rows = audits.map((audit) => ({
      actor: audit.actor,
      action: audit.action,
      target: audit.target ?? null,
      outcome: audit.outcome,
      request_id: audit.requestId ?? null,
      details: audit.details ?? {},
    }));
    sent.push(run(statements.auditWrites, { rows: JSON.stringify(rows) }));
  }
  if (releasedKeys.length > 0) {
    sent.push(run(statements.releaseKeys, { keys: JSON.stringify(releasedKeys) }));
  }
  if (plan.entries.length > 0) {
    const changed = plan.changedWallets().map((wallet) => ({
      id: wallet.id,
      balance_minor: String(wallet.balanceMinor),
      last_entry_sequence: wallet.lastEntrySequence,
    }));
    sent.push(
      run(statements.appendEntries, { entries: JSON.stringify(plan.entries) }),
      run(statements.updateBalances, { changes: JSON.stringify(changed) }),
    );
  }
  return sent;
}

type Run = ReservedConnection['run'];
type BatchStatements = ReturnType<typeof makeBatchStatements>;

/**
 * Every statement of a batch. Rows travel as one `jsonb` parameter: a statement's text
 * (and its plan) is the same whatever the batch size, and no value is ever spliced into
 * SQL. Amounts are decimal strings in it, cast to bigint by PostgreSQL.
 */
function makeBatchStatements(db: ConnectionDb) {
  return {
    claimKeys: db
      .insert(idempotencyKeys)
      .select(
        sql`SELECT ${columnsInOrder(idempotencyKeys, {
          key: sql`claim.key`,
          operation: sql`claim.operation`,
          requestFingerprint: sql`claim.fingerprint`,
          transactionId: sql`claim.transaction_id`,
          createdAt: sql`now()`,
        })}
        FROM ROWS FROM (jsonb_to_recordset(${jsonParameter('claims')}) AS (key text,
          operation idempotent_operation, fingerprint text, transaction_id uuid))
          WITH ORDINALITY AS claim(key, operation, fingerprint, transaction_id, position)
        ORDER BY claim.position`,
      )
      .onConflictDoNothing({ target: idempotencyKeys.key })
      .returning({ key: idempotencyKeys.key })
      .prepare('ledger_claim_keys'),
    lockWallets: db
      .select({
        id: wallets.id,
        currency: wallets.currency,
        balanceMinor: wallets.balanceMinor,
        lastEntrySequence: wallets.lastEntrySequence,
        createdAt: wallets.createdAt,
        now: sql`now()`.mapWith(wallets.createdAt),
      })
      .from(wallets)
      .where(sql`${wallets.id} = ANY(${sql.placeholder('walletIds')}::uuid[])`)
      .orderBy(asc(wallets.id))
      .for('update')
      .prepare('ledger_lock_wallets'),
    // A new statement sees the commit of whatever took a key this batch could not claim.
    readTakenKeys: db
      .select()
      .from(idempotencyKeys)
      .where(
        sql`${idempotencyKeys.key} IN (SELECT jsonb_array_elements_text(${jsonParameter('keys')}))`,
      )
      .prepare('ledger_read_taken_keys'),
    auditWrites: db
      .insert(auditLog)
      // Drizzle lists the identity column in an INSERT … SELECT too: the select gives it
      // the sequence's next value, as its default would.
      .select(
        sql`SELECT ${columnsInOrder(auditLog, {
          id: sql`nextval(pg_get_serial_sequence('audit_log', 'id'))`,
          at: sql`now()`,
          actor: sql`audit.actor`,
          action: sql`audit.action`,
          target: sql`audit.target`,
          outcome: sql`audit.outcome`,
          requestId: sql`audit.request_id`,
          details: sql`audit.details`,
        })}
        FROM jsonb_to_recordset(${jsonParameter('rows')}) AS audit(actor text, action text,
          target text, outcome audit_outcome, request_id text, details jsonb)`,
      )
      .prepare('ledger_audit_writes'),
    releaseKeys: db
      .delete(idempotencyKeys)
      .where(
        sql`${idempotencyKeys.key} IN (SELECT jsonb_array_elements_text(${jsonParameter('keys')}))`,
      )
      .prepare('ledger_release_keys'),
    appendEntries: db
      .insert(ledgerEntries)
      .select(
        sql`SELECT ${columnsInOrder(ledgerEntries, {
          id: sql`entry.id`,
          walletId: sql`entry.wallet_id`,
          sequence: sql`entry.sequence`,
          previousSequence: sql`entry.previous_sequence`,
          type: sql`entry.type`,
          amountMinor: sql`entry.amount_minor`,
          balanceBeforeMinor: sql`entry.balance_before_minor`,
          balanceAfterMinor: sql`entry.balance_after_minor`,
          status: sql`'COMPLETED'::ledger_entry_status`,
          description: sql`entry.description`,
          counterpartyWalletId: sql`entry.counterparty_wallet_id`,
          transferId: sql`entry.transfer_id`,
          createdAt: sql`now()`,
        })}
        FROM jsonb_to_recordset(${jsonParameter('entries')}) AS entry(
          id uuid, wallet_id uuid, sequence bigint, previous_sequence bigint,
          type ledger_entry_type, amount_minor bigint, balance_before_minor bigint,
          balance_after_minor bigint, description text, counterparty_wallet_id uuid,
          transfer_id uuid)`,
      )
      .prepare('ledger_append_entries'),
    updateBalances: db
      .update(wallets)
      .set({
        balanceMinor: sql`change.balance_minor`,
        lastEntrySequence: sql`change.last_entry_sequence`,
        updatedAt: sql`now()`,
      })
      .from(
        sql`jsonb_to_recordset(${jsonParameter('changes')})
          AS change(id uuid, balance_minor bigint, last_entry_sequence bigint)`,
      )
      .where(sql`${wallets.id} = change.id`)
      .prepare('ledger_update_balances'),
  };
}

/**
 * The select list of an INSERT … SELECT: one expression per column of the table, in the
 * order Drizzle lists the columns of the INSERT (the table's). The record's type makes
 * a column added to the table without an expression here a compile error.
 */
interface InsertableColumn {
  shouldDisableInsert(): boolean;
}

function columnsInOrder<Table extends PgTable>(
  table: Table,
  expressions: Record<keyof Table['$inferInsert'], SQL> &
    Partial<Record<keyof Table['$inferSelect'], SQL>>,
): SQL {
  // Drizzle leaves generated (GENERATED ALWAYS AS expression) columns out of an INSERT.
  const insertable = Object.entries(getTableColumns(table)).filter(
    ([, column]) => !(column as unknown as InsertableColumn).shouldDisableInsert(),
  );
  const ordered = insertable.map(([name]) => {
    const expression = (expressions as Record<string, SQL | undefined>)[name];
    assert(expression, `no expression for column ${name}`);
    return expression;
  });
  return sql.join(ordered, sql`, `);
}

/** A statement's parameter `name`: JSON text, read by PostgreSQL as jsonb. */
function jsonParameter(name: string) {
  return sql`${sql.placeholder(name)}::jsonb`;
}
