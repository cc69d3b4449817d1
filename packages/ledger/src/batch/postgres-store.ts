import {
  schema,
  statementsOn,
  type AuditRecord,
  type ConnectionDb,
  type Db,
  type ReservedConnection,
} from '@wallet/db';
import { asc, eq, getTableColumns, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

import { assert } from '../assert';
import type { PlannedEvent } from '../events/catalogue';
import type { LockedWallet, PlannedEntry } from '../movements/book';
import type { HoldResolution, LockedHold, PlannedHold } from '../movements/hold-book';
import { currencyOf, toHold } from '../rows';
import { scopedKey } from '../idempotency';
import type { BalanceChange, KeyClaim, KeyHolder, OwnedKey } from './plan';
import type { HoldLocks, LedgerStore, LockedRows } from './store';

const {
  wallets,
  idempotencyKeys,
  ledgerEntries,
  ledgerEvents,
  auditLog,
  transactionReversals,
  holds,
} = schema;

const NO_HOLD_LOCKS: HoldLocks = { holdIds: [], captureHoldIds: [] };

/** A uuid[] parameter, as PostgreSQL's array text. */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

type Run = ReservedConnection['run'];
type BatchStatements = ReturnType<typeof makeBatchStatements>;

/**
 * The LedgerStore on PostgreSQL: the batch's statements, made once per pool
 * (statementsOn) and run on the transaction's reserved connection. Rows travel as one
 * `jsonb` parameter: a statement's text (and its plan) is the same whatever the batch
 * size, and no value is ever spliced into SQL.
 */
export class PostgresLedgerStore implements LedgerStore {
  private readonly statements: BatchStatements;

  constructor(
    db: Db,
    private readonly run: Run,
  ) {
    this.statements = statementsOn(db, makeBatchStatements);
  }

  async claimKeys(claims: readonly KeyClaim[]): Promise<ReadonlySet<string>> {
    if (claims.length === 0) return new Set();
    const claimed = await this.run(this.statements.claimKeys, { claims: JSON.stringify(claims) });
    return new Set(claimed.map((row) => scopedKey(row.owner, row.key)));
  }

  async lockWallets(
    walletIds: readonly string[],
    externalFor: readonly string[],
    byHolds: HoldLocks = NO_HOLD_LOCKS,
  ): Promise<LockedRows> {
    const rows = await this.run(this.statements.lockWallets, {
      walletIds: uuidArray(walletIds),
      externalFor: uuidArray(externalFor),
      holdIds: uuidArray(byHolds.holdIds),
      captureHoldIds: uuidArray(byHolds.captureHoldIds),
    });
    const locked = new Map<string, LockedWallet>();
    for (const row of rows) {
      locked.set(row.id, {
        id: row.id,
        currency: currencyOf(row),
        kind: row.kind,
        balanceMinor: row.balanceMinor,
        heldMinor: row.heldMinor,
        lastEntrySequence: row.lastEntrySequence ?? 0,
        status: row.status,
        metadata: row.metadata,
        createdAt: row.createdAt,
      });
    }
    const stampedAt = rows.reduce(
      (latest, row) => (row.changedAt > latest ? row.changedAt : latest),
      rows[0]?.now ?? new Date().toISOString(),
    );
    return { locked, stampedAt, now: new Date(stampedAt) };
  }

  async readReversals(originalIds: readonly string[]): Promise<Map<string, bigint>> {
    const reversed = new Map<string, bigint>();
    if (originalIds.length === 0) return reversed;
    const rows = await this.run(this.statements.readReversals, {
      originalIds: uuidArray(originalIds),
    });
    for (const row of rows) reversed.set(row.originalId, row.reversedMinor);
    return reversed;
  }

  async lockHolds(holdIds: readonly string[]): Promise<Map<string, LockedHold>> {
    const locked = new Map<string, LockedHold>();
    if (holdIds.length === 0) return locked;
    const rows = await this.run(this.statements.lockHolds, { holdIds: uuidArray(holdIds) });
    for (const { currency, ...hold } of rows) {
      locked.set(hold.id, toHold(hold, currencyOf({ currency })));
    }
    return locked;
  }

  insertHolds(planned: readonly PlannedHold[]): Promise<unknown> {
    return this.run(this.statements.insertHolds, { holds: JSON.stringify(planned) });
  }

  resolveHolds(resolutions: readonly HoldResolution[]): Promise<unknown> {
    return this.run(this.statements.resolveHolds, {
      resolutions: JSON.stringify(resolutions),
    });
  }

  async readTakenKeys(keys: readonly OwnedKey[]): Promise<Map<string, KeyHolder>> {
    const holders = new Map<string, KeyHolder>();
    if (keys.length === 0) return holders;
    const rows = await this.run(this.statements.readTakenKeys, { keys: JSON.stringify(keys) });
    for (const row of rows) holders.set(scopedKey(row.owner, row.key), row);
    return holders;
  }

  appendAudits(audits: readonly AuditRecord[]): Promise<unknown> {
    const rows = audits.map((audit) => ({
      actor: audit.actor,
      action: audit.action,
      target: audit.target ?? null,
      outcome: audit.outcome,
      request_id: audit.requestId ?? null,
      details: audit.details ?? {},
    }));
    return this.run(this.statements.auditWrites, { rows: JSON.stringify(rows) });
  }

  releaseKeys(keys: readonly OwnedKey[]): Promise<unknown> {
    return this.run(this.statements.releaseKeys, { keys: JSON.stringify(keys) });
  }

  appendEntries(entries: readonly PlannedEntry[], stampedAt: string): Promise<unknown> {
    return this.run(this.statements.appendEntries, {
      entries: JSON.stringify(entries),
      stampedAt,
    });
  }

  updateBalances(changes: readonly BalanceChange[], stampedAt: string): Promise<unknown> {
    return this.run(this.statements.updateBalances, {
      changes: JSON.stringify(changes),
      stampedAt,
    });
  }

  appendEvents(events: readonly PlannedEvent[], stampedAt: string): Promise<unknown> {
    return this.run(this.statements.appendEvents, { events: JSON.stringify(events), stampedAt });
  }
}
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
          owner: sql`claim.owner`,
          key: sql`claim.key`,
          operation: sql`claim.operation`,
          requestFingerprint: sql`claim.fingerprint`,
          transactionId: sql`claim.transaction_id`,
          createdAt: sql`now()`,
        })}
        FROM ROWS FROM (jsonb_to_recordset(${jsonParameter('claims')}) AS (owner text,
          key text, operation idempotent_operation, fingerprint text, transaction_id uuid))
          WITH ORDINALITY AS claim(owner, key, operation, fingerprint, transaction_id, position)
        ORDER BY claim.position`,
      )
      // A key already held is not claimed (RETURNING leaves it out) but its row is locked
      // (DO UPDATE locks the conflicting row even when its WHERE is false): until this
      // transaction ends, neither the retention's clean-up nor anything else can delete
      // it, so readTakenKeys finds what holds it.
      .onConflictDoUpdate({
        target: [idempotencyKeys.owner, idempotencyKeys.key],
        set: { key: sql`excluded.key` },
        setWhere: sql`false`,
      })
      .returning({ owner: idempotencyKeys.owner, key: idempotencyKeys.key })
      .prepare('ledger_claim_keys'),
    lockWallets: db
      .select({
        id: wallets.id,
        currency: wallets.currency,
        kind: wallets.kind,
        balanceMinor: wallets.balanceMinor,
        heldMinor: wallets.heldMinor,
        lastEntrySequence: wallets.lastEntrySequence,
        // Under the row's lock: a status change waits for this batch, and this batch for it.
        status: wallets.status,
        metadata: wallets.metadata,
        createdAt: wallets.createdAt,
        // As fixed-width UTC text (exact to the microsecond, and ordered as text): the
        // batch's stamp is the latest of these and now() (LockedRows.stampedAt). A
        // microsecond past the wallet's last change: each batch that changes a wallet has
        // a time of its own in its chain.
        changedAt: exactTimeOf(sql`${wallets.updatedAt} + interval '1 microsecond'`),
        now: exactTimeOf(sql`now()`),
      })
      .from(wallets)
      // A wallet's currency never changes, so reading it to find its external account
      // (by the partial unique index) is no read-then-act race. Nor do a hold's wallets
      // (holds_terms_fixed), so reading them finds what to lock.
      .where(
        sql`${wallets.id} = ANY(${sql.placeholder('walletIds')}::uuid[])
          OR (${wallets.kind} = 'EXTERNAL' AND ${wallets.currency} IN (
            SELECT named.currency FROM wallets AS named
             WHERE named.id = ANY(${sql.placeholder('externalFor')}::uuid[])))
          OR ${wallets.id} = ANY(ARRAY(${holdWalletsOf('holdIds')}))
          OR (${wallets.kind} = 'EXTERNAL' AND ${wallets.currency} = ANY(ARRAY(
            SELECT payer.currency FROM holds AS held JOIN wallets AS payer
                ON payer.id = held.wallet_id
             WHERE held.id = ANY(${sql.placeholder('captureHoldIds')}::uuid[])
               AND held.receiver_wallet_id IS NULL)))`,
      )
      // Wallets first, then external accounts, each by id: one total order, and a batch
      // waiting on a wallet's lock does not hold its currency's external account meanwhile.
      .orderBy(sql`${wallets.kind} = 'EXTERNAL'`, asc(wallets.id))
      .for('update')
      .prepare('ledger_lock_wallets'),
    lockHolds: db
      .select({ ...getTableColumns(holds), currency: wallets.currency })
      .from(holds)
      .innerJoin(wallets, eq(wallets.id, holds.walletId))
      .where(sql`${holds.id} = ANY(${sql.placeholder('holdIds')}::uuid[])`)
      .orderBy(asc(holds.id))
      .for('update', { of: holds })
      .prepare('ledger_lock_holds'),
    insertHolds: db
      .insert(holds)
      .select(
        sql`SELECT ${columnsInOrder(holds, {
          id: sql`hold.id`,
          walletId: sql`hold.wallet_id`,
          receiverWalletId: sql`hold.receiver_wallet_id`,
          amountMinor: sql`hold.amount_minor`,
          capturedMinor: sql`0`,
          status: sql`'PENDING'::hold_status`,
          description: sql`hold.description`,
          metadata: sql`hold.metadata`,
          expiresAt: sql`hold.expires_at`,
          createdAt: sql`now()`,
          resolvedAt: sql`NULL`,
          captureTransactionId: sql`NULL`,
        })}
        FROM jsonb_to_recordset(${jsonParameter('holds')}) AS hold(id uuid, wallet_id uuid,
          receiver_wallet_id uuid, amount_minor bigint, description text, metadata jsonb,
          expires_at timestamptz)`,
      )
      .prepare('ledger_insert_holds'),
    // No `status = 'PENDING'` filter: the plan resolves pending holds only, and should it
    // not, the trigger refuses the row rather than this statement skipping it silently.
    resolveHolds: db
      .update(holds)
      .set({
        status: sql`resolution.status`,
        capturedMinor: sql`resolution.captured_minor`,
        captureTransactionId: sql`resolution.capture_transaction_id`,
        resolvedAt: sql`now()`,
      })
      .from(
        sql`jsonb_to_recordset(${jsonParameter('resolutions')}) AS resolution(id uuid,
          status hold_status, captured_minor bigint, capture_transaction_id uuid)`,
      )
      .where(sql`${holds.id} = resolution.id`)
      .prepare('ledger_resolve_holds'),
    readReversals: db
      .select({
        originalId: transactionReversals.originalId,
        reversedMinor: transactionReversals.reversedMinor,
      })
      .from(transactionReversals)
      .where(
        sql`${transactionReversals.originalId} = ANY(${sql.placeholder('originalIds')}::uuid[])`,
      )
      .orderBy(asc(transactionReversals.originalId))
      .for('update')
      .prepare('ledger_read_reversals'),
    // A new statement sees the commit of whatever took a key this batch could not claim.
    readTakenKeys: db
      .select()
      .from(idempotencyKeys)
      .where(sql`(${idempotencyKeys.owner}, ${idempotencyKeys.key}) IN (${ownedKeysIn('keys')})`)
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
      .where(sql`(${idempotencyKeys.owner}, ${idempotencyKeys.key}) IN (${ownedKeysIn('keys')})`)
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
          holdId: sql`entry.hold_id`,
          reversesTransactionId: sql`entry.reverses_transaction_id`,
          metadata: sql`entry.metadata`,
          createdAt: stampParameter(),
        })}
        FROM jsonb_to_recordset(${jsonParameter('entries')}) AS entry(
          id uuid, wallet_id uuid, sequence bigint, previous_sequence bigint,
          type ledger_entry_type, amount_minor bigint, balance_before_minor bigint,
          balance_after_minor bigint, description text, counterparty_wallet_id uuid,
          transfer_id uuid, hold_id uuid, reverses_transaction_id uuid, metadata jsonb)`,
      )
      .prepare('ledger_append_entries'),
    updateBalances: db
      .update(wallets)
      .set({
        balanceMinor: sql`change.balance_minor`,
        heldMinor: sql`change.held_minor`,
        lastEntrySequence: sql`change.last_entry_sequence`,
        updatedAt: stampParameter(),
      })
      .from(
        sql`jsonb_to_recordset(${jsonParameter('changes')})
          AS change(id uuid, balance_minor bigint, held_minor bigint,
            last_entry_sequence bigint)`,
      )
      .where(sql`${wallets.id} = change.id`)
      .prepare('ledger_update_balances'),
    // The outbox rows, positions in the order given (ORDER BY before the select list's
    // nextval): a batch's events follow its requests, so a wallet's events of one batch
    // are in its sequence order in the global order too.
    appendEvents: db
      .insert(ledgerEvents)
      .select(
        sql`SELECT ${columnsInOrder(ledgerEvents, {
          id: sql`event.id`,
          transactionXid: sql`pg_current_xact_id()`,
          position: sql`nextval(pg_get_serial_sequence('ledger_events', 'position'))`,
          type: sql`event.type`,
          walletId: sql`event.wallet_id`,
          walletSequence: sql`event.wallet_sequence`,
          counterpartyWalletId: sql`event.counterparty_wallet_id`,
          counterpartySequence: sql`event.counterparty_sequence`,
          transactionId: sql`event.transaction_id`,
          currency: sql`event.currency`,
          amountMinor: sql`event.amount_minor`,
          payload: sql`event.payload`,
          createdAt: stampParameter(),
        })}
        FROM ROWS FROM (jsonb_to_recordset(${jsonParameter('events')}) AS (id uuid, type text,
          wallet_id uuid, wallet_sequence bigint, counterparty_wallet_id uuid,
          counterparty_sequence bigint, transaction_id uuid, currency char(3),
          amount_minor bigint, payload jsonb))
          WITH ORDINALITY AS event(id, type, wallet_id, wallet_sequence, counterparty_wallet_id,
            counterparty_sequence, transaction_id, currency, amount_minor, payload, ordinal)
        ORDER BY event.ordinal`,
      )
      .prepare('ledger_append_events'),
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

/** The wallets and receivers of the holds of the uuid[] parameter `name`, as a subquery. */
function holdWalletsOf(name: string) {
  const ids = sql`${sql.placeholder(name)}::uuid[]`;
  return sql`SELECT held.wallet_id FROM holds AS held WHERE held.id = ANY(${ids})
    UNION ALL SELECT held.receiver_wallet_id FROM holds AS held
     WHERE held.id = ANY(${ids}) AND held.receiver_wallet_id IS NOT NULL`;
}

/** The (owner, key) pairs of the JSON parameter `name`, as a subquery. */
function ownedKeysIn(name: string) {
  return sql`SELECT owned.owner, owned.key
    FROM jsonb_to_recordset(${jsonParameter(name)}) AS owned(owner text, key text)`;
}

/** A time as text PostgreSQL reads back exactly: UTC, microseconds, fixed width. */
function exactTimeOf(time: SQLWrapper) {
  return sql<string>`to_char((${time}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The batch's stamp (LockedRows.stampedAt), as the timestamp it was read from. */
function stampParameter() {
  return sql`${sql.placeholder('stampedAt')}::timestamptz`;
}

/** A statement's parameter `name`: JSON text, read by PostgreSQL as jsonb. */
function jsonParameter(name: string) {
  return sql`${sql.placeholder(name)}::jsonb`;
}
