import { fundWalletInput, type FundWalletInput } from '@wallet/contract';
import { recordAudit, type Db, type WriteContext } from '@wallet/db';
import { v7 as uuidv7 } from 'uuid';

import { amountMinorIn, assertRoomFor } from './amounts';
import { assert } from './assert';
import { claimIdempotencyKey, fingerprintOf } from './idempotency';
import { parseInput } from './input';
import { applyMovements, lockWallets } from './movements';
import { currencyOf } from './rows';
import { auditOfWrite } from './audit';
import { inTransaction } from './transaction';
import type { FundResult } from './types';

/** Credits a wallet from outside the ledger: one FUND entry, in one transaction. */
export async function fundWallet(
  db: Db,
  input: FundWalletInput,
  context?: WriteContext,
): Promise<FundResult> {
  const request = parseInput(fundWalletInput, input);
  const description = request.description ?? null;
  const entryId = uuidv7();
  return inTransaction(db, async (tx) => {
    if (request.idempotencyKey !== undefined) {
      await claimIdempotencyKey(tx, {
        key: request.idempotencyKey,
        operation: 'FUND',
        fingerprint: fingerprintOf('FUND', [request.walletId, request.amount, description]),
        transactionId: entryId,
      });
    }
    const [wallet] = await lockWallets(tx, [request.walletId]);
    assert(wallet, 'lockWallets returns one row per id');
    const amountMinor = amountMinorIn(currencyOf(wallet), request.amount);
    assertRoomFor(wallet, amountMinor);
    const [applied] = await applyMovements(tx, [
      {
        wallet,
        type: 'FUND',
        amountMinor,
        description,
        counterpartyWalletId: null,
        transferId: null,
        entryId,
      },
    ]);
    assert(applied, 'one movement gives one result');
    if (context) {
      await recordAudit(tx, [
        auditOfWrite(context, 'wallets.fund', request.walletId, {
          entryId,
          amount: request.amount,
          idempotencyKey: request.idempotencyKey ?? null,
        }),
      ]);
    }
    return applied;
  });
}
