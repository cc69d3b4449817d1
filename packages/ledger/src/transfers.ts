import { transferFundsInput, type TransferFundsInput } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import { auditOfWrite } from './audit';
import { SameWalletTransferError } from './errors';
import { idempotencyClaim, metadataFields } from './idempotency';
import { newId } from './ids';
import { parseInput } from './input';
import type { TransferRequest } from './writes';

/**
 * A transfer moves money between two wallets of one currency: a TRANSFER_OUT entry on
 * the sender and a TRANSFER_IN on the receiver, sharing a transfer id. Here it is parsed
 * and given its id; the group committer applies it (apply-batch.ts), with both wallets
 * locked from the balance check until the commit.
 */
export function prepareTransfer(
  input: TransferFundsInput,
  context?: WriteContext,
): TransferRequest {
  const request = parseInput(transferFundsInput, input);
  // UUIDs are case-insensitive on the wire; rows and lock maps use PostgreSQL's lower case.
  const senderWalletId = request.senderWalletId.toLowerCase();
  const receiverWalletId = request.receiverWalletId.toLowerCase();
  if (senderWalletId === receiverWalletId) throw new SameWalletTransferError();
  const description = request.description ?? null;
  const metadata = request.metadata ?? {};
  const transferId = newId();
  return {
    kind: 'TRANSFER',
    transferId,
    senderWalletId,
    receiverWalletId,
    amount: request.amount,
    description,
    metadata,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'TRANSFER', [
      senderWalletId,
      receiverWalletId,
      request.amount,
      description,
      ...metadataFields(metadata),
    ]),
    audit: context
      ? auditOfWrite(context, 'wallets.transfer', senderWalletId, {
          transferId,
          receiverWalletId,
          amount: request.amount,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}
