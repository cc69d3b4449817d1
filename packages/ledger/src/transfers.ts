import {
  formatMinor,
  minorDigitsOf,
  transferFundsInput,
  type TransferFundsInput,
} from '@wallet/contract';
import { recordAudit, type Db, type WriteContext } from '@wallet/db';
import { v7 as uuidv7 } from 'uuid';

import { amountMinorIn, assertRoomFor } from './amounts';
import { assert } from './assert';
import { CurrencyMismatchError, InsufficientFundsError, SameWalletTransferError } from './errors';
import { claimIdempotencyKey, fingerprintOf } from './idempotency';
import { parseInput } from './input';
import { applyMovements, lockWallets, type LockedWallet } from './movements';
import { currencyOf } from './rows';
import { auditOfWrite } from './audit';
import { inTransaction } from './transaction';
import type { TransferResult } from './types';

/**
 * Moves money between two wallets of one currency: a TRANSFER_OUT entry on the sender
 * and a TRANSFER_IN on the receiver, sharing a transfer id, in one transaction that
 * holds both wallets' row locks from before the balance check until the commit.
 */
export async function transferFunds(
  db: Db,
  input: TransferFundsInput,
  context?: WriteContext,
): Promise<TransferResult> {
  const request = parseInput(transferFundsInput, input);
  const { senderWalletId, receiverWalletId } = request;
  if (senderWalletId === receiverWalletId) throw new SameWalletTransferError();
  const description = request.description ?? null;
  const transferId = uuidv7();

  return inTransaction(db, async (tx) => {
    if (request.idempotencyKey !== undefined) {
      await claimIdempotencyKey(tx, {
        key: request.idempotencyKey,
        operation: 'TRANSFER',
        fingerprint: fingerprintOf('TRANSFER', [
          senderWalletId,
          receiverWalletId,
          request.amount,
          description,
        ]),
        transactionId: transferId,
      });
    }
    const [sender, receiver] = await lockWallets(tx, [senderWalletId, receiverWalletId]);
    assert(sender && receiver, 'lockWallets returns one row per id');
    const amountMinor = checkTransfer(sender, receiver, request.amount);

    const common = { amountMinor, description, transferId };
    const [debit, credit] = await applyMovements(tx, [
      { ...common, wallet: sender, type: 'TRANSFER_OUT', counterpartyWalletId: receiver.id },
      { ...common, wallet: receiver, type: 'TRANSFER_IN', counterpartyWalletId: sender.id },
    ]);
    assert(debit && credit, 'two movements give two results');
    if (context) {
      await recordAudit(tx, [
        auditOfWrite(context, 'wallets.transfer', senderWalletId, {
          transferId,
          receiverWalletId,
          amount: request.amount,
          idempotencyKey: request.idempotencyKey ?? null,
        }),
      ]);
    }
    return { transferId, sender: debit.wallet, receiver: credit.wallet };
  });
}

/** The business rules of a transfer, on locked rows; returns the amount in minor units. */
function checkTransfer(sender: LockedWallet, receiver: LockedWallet, amount: string): bigint {
  const currency = currencyOf(sender);
  const receiverCurrency = currencyOf(receiver);
  if (currency !== receiverCurrency) throw new CurrencyMismatchError(currency, receiverCurrency);
  const amountMinor = amountMinorIn(currency, amount);
  if (sender.balanceMinor < amountMinor) {
    const digits = minorDigitsOf(currency);
    throw new InsufficientFundsError(
      sender.id,
      formatMinor(sender.balanceMinor, digits),
      formatMinor(amountMinor, digits),
      currency,
    );
  }
  assertRoomFor(receiver, amountMinor);
  return amountMinor;
}
