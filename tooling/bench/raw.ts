import { createHash, randomUUID } from 'node:crypto';

import type { Database } from '@wallet/db';

/**
 * The raw floor: the ledger's write transaction (packages/ledger/src/apply-batch.ts) for
 * one transfer, as plain SQL over postgres.js from the bench process, with no HTTP, no
 * API and no group commit in the way: one request, one transaction. Statement for
 * statement what the ledger sends for a batch of one: BEGIN; claim the idempotency key
 * and lock both wallets in id order (pipelined); append the two entries, update both
 * wallets and write the transfer's event to the outbox (pipelined; the wallets last, so
 * each row's stamp reads their change before it), all stamped just after
 * the wallets' latest change as the ledger stamps a batch; COMMIT. It runs on a pool with
 * the API's connection settings.
 */

export type Sql = Database['db']['$client'];

interface LockedRow {
  id: string;
  currency: string;
  balance_minor: string;
  last_entry_sequence: string | null;
}

export async function rawTransfer(
  sql: Sql,
  senderId: string,
  receiverId: string,
  amount: string,
  amountMinor: bigint,
  idempotencyKey: string,
): Promise<void> {
  const transferId = randomUUID();
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(['TRANSFER', senderId, receiverId, amount, null]))
    .digest('hex');
  const claims = [
    { key: idempotencyKey, operation: 'TRANSFER', fingerprint, transaction_id: transferId },
  ];
  const ids = [senderId, receiverId].sort();
  const idList = `{${ids.join(',')}}`;
  await sql.begin('isolation level read committed read write', async (tx) => {
    const [claimed, locked] = await Promise.all([
      tx<{ key: string }[]>`
        insert into idempotency_keys (owner, key, operation, request_fingerprint, transaction_id)
        select 'system', key, operation, fingerprint, transaction_id
        from rows from (jsonb_to_recordset(${JSON.stringify(claims)}::jsonb) as (key text,
          operation idempotent_operation, fingerprint text, transaction_id uuid))
          with ordinality as claim(key, operation, fingerprint, transaction_id, position)
        order by position
        on conflict (owner, key) do nothing
        returning key`,
      tx<LockedRow[]>`
        select id, currency, balance_minor, last_entry_sequence, created_at, now()
        from wallets where id = any(${idList}::uuid[]) order by id for update`,
    ]);
    if (claimed.length === 0) throw new Error(`idempotency key ${idempotencyKey} taken`);
    const sender = locked.find((row) => row.id === senderId);
    const receiver = locked.find((row) => row.id === receiverId);
    if (!sender || !receiver) throw new Error('wallet not found');
    if (BigInt(sender.balance_minor) < amountMinor) throw new Error('insufficient funds');
    const leg = (wallet: LockedRow, counterpartyId: string, out: boolean) => {
      const before = BigInt(wallet.balance_minor);
      const sequence = BigInt(wallet.last_entry_sequence ?? '0') + 1n;
      return {
        id: randomUUID(),
        wallet_id: wallet.id,
        sequence: String(sequence),
        previous_sequence: sequence > 1n ? String(sequence - 1n) : null,
        type: out ? 'TRANSFER_OUT' : 'TRANSFER_IN',
        amount_minor: String(amountMinor),
        balance_before_minor: String(before),
        balance_after_minor: String(out ? before - amountMinor : before + amountMinor),
        description: null,
        counterparty_wallet_id: counterpartyId,
        transfer_id: transferId,
      };
    };
    const [out, into] = [leg(sender, receiverId, true), leg(receiver, senderId, false)];
    const entries = [out, into];
    // The rows' stamp: the transfer's start, or a microsecond past the latest change of the
    // two wallets it has locked, whichever is later (ledger_entries_created_in_chain_order).
    const stamp = () => tx`(select greatest(now(), max(updated_at) + interval '1 microsecond')
      from wallets where id = any(${idList}::uuid[]))`;
    const changed = entries.map((entry) => ({
      id: entry.wallet_id,
      balance_minor: entry.balance_after_minor,
      last_entry_sequence: entry.sequence,
    }));
    await Promise.all([
      tx`
        insert into ledger_entries (id, wallet_id, sequence, previous_sequence, type,
          amount_minor, balance_before_minor, balance_after_minor, description,
          counterparty_wallet_id, transfer_id, created_at)
        select id, wallet_id, sequence, previous_sequence, type, amount_minor,
          balance_before_minor, balance_after_minor, description, counterparty_wallet_id,
          transfer_id, ${stamp()}
        from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as entry(
          id uuid, wallet_id uuid, sequence bigint, previous_sequence bigint,
          type ledger_entry_type, amount_minor bigint, balance_before_minor bigint,
          balance_after_minor bigint, description text, counterparty_wallet_id uuid,
          transfer_id uuid)`,
      tx`
        insert into ledger_events (id, type, wallet_id, wallet_sequence, counterparty_wallet_id,
          counterparty_sequence, transaction_id, currency, amount_minor, payload, created_at)
        values (${randomUUID()}, 'transfer.completed', ${out.wallet_id}, ${out.sequence},
          ${into.wallet_id}, ${into.sequence}, ${transferId}, ${sender.currency},
          ${out.amount_minor}, ${JSON.stringify({ transactionId: transferId, amount })}::jsonb,
          ${stamp()})`,
      tx`
        update wallets
        set balance_minor = change.balance_minor,
          last_entry_sequence = change.last_entry_sequence,
          updated_at = ${stamp()}
        from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb)
          as change(id uuid, balance_minor bigint, last_entry_sequence bigint)
        where wallets.id = change.id`,
    ]);
  });
}

/**
 * Gives an empty wallet `count` FUND entries of one minor unit each in one statement
 * (entry n: balance n-1 → n), then points the wallet at the last one. Every constraint
 * holds: the chain links, the arithmetic, the sequence and the balance link.
 */
export async function seedHistory(
  sql: Sql,
  walletId: string,
  count: number,
  statementTimeoutMs: number,
): Promise<void> {
  await sql.begin(async (tx) => {
    // A million rows, each checked against its chain link, outlast the pool's usual timeout.
    await tx`select set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`;
    await tx`
      insert into ledger_entries (id, wallet_id, sequence, previous_sequence, type, amount_minor,
        balance_before_minor, balance_after_minor)
      select gen_random_uuid(), ${walletId}, n, nullif(n - 1, 0), 'FUND', 1, n - 1, n
      from generate_series(1::bigint, ${count}::bigint) as n`;
    await tx`
      update wallets set balance_minor = ${count}, last_entry_sequence = ${count}, updated_at = now()
      where id = ${walletId}`;
  });
  await sql`analyze ledger_entries`;
}
