import { createHash, randomUUID } from 'node:crypto';

import type { Database } from '@wallet/db';

/**
 * The raw floor: the ledger's transfer transaction (packages/ledger/src/transfers.ts,
 * movements.ts and idempotency.ts) as plain SQL over postgres.js, from the bench
 * process, with no HTTP and no API in the way. Statement for statement what the ledger
 * sends: claim the idempotency key, lock both wallets in id order, insert the two
 * entries in one statement, then update each wallet. It runs on the pool's postgres.js
 * client, so its connections carry the same settings (timeouts) as the API's.
 */

export type Sql = Database['db']['$client'];

interface LockedRow {
  id: string;
  balance_minor: string;
  last_entry_sequence: string | null;
}

interface PlannedEntry {
  walletId: string;
  counterpartyWalletId: string;
  type: 'TRANSFER_OUT' | 'TRANSFER_IN';
  sequence: bigint;
  before: bigint;
  after: bigint;
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
  await sql.begin('isolation level read committed read write', async (tx) => {
    const claimed = await tx`
      insert into idempotency_keys (key, operation, request_fingerprint, transaction_id)
      values (${idempotencyKey}, 'TRANSFER', ${fingerprint}, ${transferId})
      on conflict (key) do nothing
      returning key`;
    if (claimed.length === 0) throw new Error(`idempotency key ${idempotencyKey} taken`);
    const locked = await tx<LockedRow[]>`
      select * from wallets where id in (${senderId}, ${receiverId}) order by id for update`;
    const sender = locked.find((row) => row.id === senderId);
    const receiver = locked.find((row) => row.id === receiverId);
    if (!sender || !receiver) throw new Error('wallet not found');
    if (BigInt(sender.balance_minor) < amountMinor) throw new Error('insufficient funds');
    const plan = (
      wallet: LockedRow,
      counterpartyWalletId: string,
      type: PlannedEntry['type'],
    ): PlannedEntry => {
      const before = BigInt(wallet.balance_minor);
      return {
        walletId: wallet.id,
        counterpartyWalletId,
        type,
        sequence: BigInt(wallet.last_entry_sequence ?? '0') + 1n,
        before,
        after: type === 'TRANSFER_OUT' ? before - amountMinor : before + amountMinor,
      };
    };
    const entries = [
      plan(sender, receiverId, 'TRANSFER_OUT'),
      plan(receiver, senderId, 'TRANSFER_IN'),
    ];
    const [debit, credit] = entries.map((entry) => ({
      id: randomUUID(),
      walletId: entry.walletId,
      sequence: String(entry.sequence),
      previousSequence: entry.sequence > 1n ? String(entry.sequence - 1n) : null,
      type: entry.type,
      before: String(entry.before),
      after: String(entry.after),
      counterpartyWalletId: entry.counterpartyWalletId,
    }));
    if (!debit || !credit) throw new Error('two entries planned');
    const minor = String(amountMinor);
    await tx`
      insert into ledger_entries (id, wallet_id, sequence, previous_sequence, type, amount_minor,
        balance_before_minor, balance_after_minor, description, counterparty_wallet_id, transfer_id)
      values
        (${debit.id}, ${debit.walletId}, ${debit.sequence}, ${debit.previousSequence},
          ${debit.type}, ${minor}, ${debit.before}, ${debit.after}, null,
          ${debit.counterpartyWalletId}, ${transferId}),
        (${credit.id}, ${credit.walletId}, ${credit.sequence}, ${credit.previousSequence},
          ${credit.type}, ${minor}, ${credit.before}, ${credit.after}, null,
          ${credit.counterpartyWalletId}, ${transferId})
      returning *`;
    for (const entry of entries) {
      await tx`
        update wallets
        set balance_minor = ${String(entry.after)}, last_entry_sequence = ${String(entry.sequence)},
          updated_at = now()
        where id = ${entry.walletId}
        returning *`;
    }
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
