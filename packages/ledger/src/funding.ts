import { fundWalletInput, type FundWalletInput } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import { parseInput } from './input';
import { prepareOneWalletMovement } from './one-wallet-movement';
import type { FundRequest } from './writes';

/**
 * A funding credits a wallet from outside the ledger: a FUND entry, and its counter-entry
 * on the currency's external account. Here it is parsed and given its entry id; the group
 * committer applies it (apply-batch.ts, movements/fund.ts), with the wallet locked from
 * the currency and limit checks until the commit.
 */
export function prepareFunding(input: FundWalletInput, context?: WriteContext): FundRequest {
  return prepareOneWalletMovement('FUND', parseInput(fundWalletInput, input), context);
}
