import { fundWalletInput, type FundWalletInput } from '@wallet/contract';
import { newId } from './ids';

import { idempotencyClaim } from './idempotency';
import { parseInput } from './input';
import type { FundRequest } from './writes';

/**
 * A funding credits a wallet from outside the ledger: one FUND entry. Here it is parsed
 * and given its entry id; the group committer applies it (apply-batch.ts), with the
 * wallet locked from the currency and limit checks until the commit.
 */
export function prepareFunding(input: FundWalletInput): FundRequest {
  const request = parseInput(fundWalletInput, input);
  const walletId = request.walletId.toLowerCase();
  const description = request.description ?? null;
  return {
    kind: 'FUND',
    entryId: newId(),
    walletId,
    amount: request.amount,
    description,
    idempotency: idempotencyClaim(request.idempotencyKey, 'FUND', [
      walletId,
      request.amount,
      description,
    ]),
  };
}
