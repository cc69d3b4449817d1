import { fundWalletInput, type FundWalletInput } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import { auditOfWrite } from './audit';
import { idempotencyClaim } from './idempotency';
import { newId } from './ids';
import { parseInput } from './input';
import type { FundRequest } from './writes';

/**
 * A funding credits a wallet from outside the ledger: one FUND entry. Here it is parsed
 * and given its entry id; the group committer applies it (apply-batch.ts), with the
 * wallet locked from the currency and limit checks until the commit. With a context,
 * the audit row of its success is written in the same transaction.
 */
export function prepareFunding(input: FundWalletInput, context?: WriteContext): FundRequest {
  const request = parseInput(fundWalletInput, input);
  const walletId = request.walletId.toLowerCase();
  const description = request.description ?? null;
  const entryId = newId();
  return {
    kind: 'FUND',
    entryId,
    walletId,
    amount: request.amount,
    description,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'FUND', [
      walletId,
      request.amount,
      description,
    ]),
    audit: context
      ? auditOfWrite(context, 'wallets.fund', walletId, {
          entryId,
          amount: request.amount,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}
