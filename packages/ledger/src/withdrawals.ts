import { withdrawFundsInput, type WithdrawFundsInput } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import { auditOfWrite } from './audit';
import { idempotencyClaim } from './idempotency';
import { newId } from './ids';
import { parseInput } from './input';
import type { WithdrawRequest } from './writes';

/**
 * A withdrawal (payout) debits a wallet to outside the ledger: a WITHDRAWAL entry, and
 * its counter-entry on the currency's external account. Here it is parsed and given its
 * entry id; the group committer applies it (apply-batch.ts, movements/withdraw.ts), with
 * the wallet locked from the balance check until the commit. With a context, the audit
 * row of its success is written in the same transaction.
 */
export function prepareWithdrawal(
  input: WithdrawFundsInput,
  context?: WriteContext,
): WithdrawRequest {
  const request = parseInput(withdrawFundsInput, input);
  const walletId = request.walletId.toLowerCase();
  const description = request.description ?? null;
  const entryId = newId();
  return {
    kind: 'WITHDRAW',
    entryId,
    walletId,
    amount: request.amount,
    description,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'WITHDRAW', [
      walletId,
      request.amount,
      description,
    ]),
    audit: context
      ? auditOfWrite(context, 'wallets.withdraw', walletId, {
          entryId,
          amount: request.amount,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}
