import { randomUUID } from 'node:crypto';

import type { Sql } from './raw';

/**
 * The raw-SQL floors the user-path bench sets the service beside, in the same run on the
 * same database (what PostgreSQL alone can do on this machine, with no HTTP and no API):
 * - one round trip per transfer: a stored function doing the whole transfer (claim the
 *   key, lock both wallets in id order, append both entries stamped after both wallets'
 *   latest change as the ledger stamps them (ledger_entries_created_in_chain_order), update
 *   both balances, and write the transfer's event to the outbox, as every write does);
 * - batched hot transfers: one client sending 32 hot-wallet transfers per transaction
 *   (the same function, 32 times in one statement);
 * - a wallet read: the wallet and its latest page of entries in one snapshot, the rows
 *   GET /wallets/:id reads, pipelined in one round trip.
 * The functions live in a schema of their own, made here and dropped afterwards.
 */

export const HOT_BATCH_SIZE = 32;

const CREATE_FUNCTIONS = `
create schema if not exists bench;
create or replace function bench.transfer(p_sender uuid, p_receiver uuid, p_amount bigint, p_key text)
returns void language plpgsql as $$
declare
  v_transfer uuid := gen_random_uuid();
  v_at timestamptz;
  s record;
  r record;
begin
  insert into idempotency_keys (owner, key, operation, request_fingerprint, transaction_id)
  values ('system', p_key, 'TRANSFER', repeat('0', 64), v_transfer);
  perform 1 from wallets where id in (p_sender, p_receiver) order by id for update;
  select balance_minor, currency, updated_at, coalesce(last_entry_sequence, 0) as seq into s
    from wallets where id = p_sender;
  select balance_minor, updated_at, coalesce(last_entry_sequence, 0) as seq into r
    from wallets where id = p_receiver;
  if s.balance_minor < p_amount then raise exception 'insufficient funds'; end if;
  v_at := greatest(now(), s.updated_at + interval '1 microsecond', r.updated_at + interval '1 microsecond');
  insert into ledger_entries (id, wallet_id, sequence, previous_sequence, type, amount_minor,
    balance_before_minor, balance_after_minor, counterparty_wallet_id, transfer_id, created_at)
  values
    (gen_random_uuid(), p_sender, s.seq + 1, nullif(s.seq, 0), 'TRANSFER_OUT', p_amount,
      s.balance_minor, s.balance_minor - p_amount, p_receiver, v_transfer, v_at),
    (gen_random_uuid(), p_receiver, r.seq + 1, nullif(r.seq, 0), 'TRANSFER_IN', p_amount,
      r.balance_minor, r.balance_minor + p_amount, p_sender, v_transfer, v_at);
  update wallets set balance_minor = s.balance_minor - p_amount, last_entry_sequence = s.seq + 1,
    updated_at = v_at where id = p_sender;
  update wallets set balance_minor = r.balance_minor + p_amount, last_entry_sequence = r.seq + 1,
    updated_at = v_at where id = p_receiver;
  insert into ledger_events (id, type, wallet_id, wallet_sequence, counterparty_wallet_id,
    counterparty_sequence, transaction_id, currency, amount_minor, payload, created_at)
  values (gen_random_uuid(), 'transfer.completed', p_sender, s.seq + 1, p_receiver, r.seq + 1,
    v_transfer, s.currency, p_amount,
    jsonb_build_object('transactionId', v_transfer, 'amount', p_amount::text), v_at);
end $$;
create or replace function bench.transfer_many(p_transfers jsonb)
returns void language plpgsql as $$
declare t jsonb;
begin
  for t in select * from jsonb_array_elements(p_transfers) loop
    perform bench.transfer((t->>'s')::uuid, (t->>'r')::uuid, (t->>'a')::bigint, t->>'k');
  end loop;
end $$;
`;

export async function createFloorFunctions(sql: Sql): Promise<void> {
  await sql.unsafe(CREATE_FUNCTIONS);
}

export async function dropFloorFunctions(sql: Sql): Promise<void> {
  await sql.unsafe('drop schema if exists bench cascade');
}

/** One transfer, one statement, one round trip. */
export async function oneRoundTripTransfer(
  sql: Sql,
  [sender, receiver]: readonly [string, string],
  amountMinor: bigint,
): Promise<void> {
  await sql`select bench.transfer(${sender}, ${receiver}, ${String(amountMinor)}, ${`floor-${randomUUID()}`})`;
}

/** HOT_BATCH_SIZE transfers from distinct senders into `hot`, in one transaction. */
export async function batchedHotTransfers(
  sql: Sql,
  senders: readonly string[],
  hot: string,
  amountMinor: bigint,
): Promise<void> {
  const transfers = senders.map((sender) => ({
    s: sender,
    r: hot,
    a: String(amountMinor),
    k: `floor-${randomUUID()}`,
  }));
  await sql`select bench.transfer_many(${JSON.stringify(transfers)}::jsonb)`;
}

/** The wallet and its latest `pageSize` + 1 entries in one snapshot, pipelined. */
export async function rawWalletRead(sql: Sql, walletId: string, pageSize: number): Promise<void> {
  await sql.begin('isolation level repeatable read read only', (tx) => [
    tx`select * from wallets where id = ${walletId}`,
    tx`select * from ledger_entries where wallet_id = ${walletId}
       order by sequence desc limit ${pageSize + 1}`,
  ]);
}
