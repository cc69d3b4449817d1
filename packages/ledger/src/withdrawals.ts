import { withdrawFundsInput, type WithdrawFundsInput } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import { parseInput } from './input';
import { prepareOneWalletMovement } from './one-wallet-movement';
import type { WithdrawRequest } from './writes';

/**
 * A withdrawal (payout) debits a wallet to outside the ledger: a WITHDRAWAL entry, and
 * its counter-entry on the currency's external account. Here it is parsed and given its
 * entry id; the group committer applies it (apply-batch.ts, movements/withdraw.ts), with
 * the wallet locked from the balance check until the commit.
 */
export function prepareWithdrawal(
  input: WithdrawFundsInput,
  context?: WriteContext,
): WithdrawRequest {
  return prepareOneWalletMovement('WITHDRAW', parseInput(withdrawFundsInput, input), context);
}
