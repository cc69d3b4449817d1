import { schema, type Db } from '@wallet/db';

import type { PlannedEvent } from './catalogue';

/**
 * Inserts one event with the statement of its caller's transaction: for the writes that
 * do not go through the group commit (a wallet's creation). The batch's events go in one
 * statement of the batch's pipeline instead (batch/postgres-store.ts).
 */
export async function appendEvent(executor: Pick<Db, 'insert'>, event: PlannedEvent) {
  await appendEvents(executor, [event]);
}

/** Several events in one statement, their positions in the order given. */
export async function appendEvents(executor: Pick<Db, 'insert'>, events: readonly PlannedEvent[]) {
  if (events.length === 0) return;
  await executor.insert(schema.ledgerEvents).values(events.map(toRow));
}

function toRow(event: PlannedEvent) {
  return {
    id: event.id,
    type: event.type,
    walletId: event.wallet_id,
    walletSequence: event.wallet_sequence,
    counterpartyWalletId: event.counterparty_wallet_id,
    counterpartySequence: event.counterparty_sequence,
    transactionId: event.transaction_id,
    currency: event.currency,
    amountMinor: event.amount_minor === null ? null : BigInt(event.amount_minor),
    payload: event.payload,
  };
}
