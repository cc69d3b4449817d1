import type { TRPCRouterRecord } from '@trpc/server';
import { formatMinor, isCurrencyCode, minorDigitsOf } from '@wallet/contract';
import type { CurrencyTotals } from '@wallet/ledger';

import { procedureFor } from '../init';

/** Totals as exact decimal text in each currency's digits, like every other tRPC amount. */
function toTotalsOutput(total: CurrencyTotals) {
  const digits = isCurrencyCode(total.currency) ? minorDigitsOf(total.currency) : 0;
  return {
    currency: total.currency,
    walletCount: total.walletCount,
    balances: formatMinor(total.balancesMinor, digits),
    fundings: formatMinor(total.fundingsMinor, digits),
    withdrawals: formatMinor(total.withdrawalsMinor, digits),
  };
}

/** The ledger as a whole: reconciliation and totals, for operators. */
export const ledgerRouter = {
  /** Every promise of the ledger checked in one snapshot; `violations` is empty when all hold. */
  verify: procedureFor('ledger.verify').query(async ({ ctx }) => {
    const report = await ctx.ledger.verify();
    return { ...report, totals: report.totals.map(toTotalsOutput) };
  }),

  /** Sums of balances, fundings and withdrawals per currency, read in one statement. */
  totals: procedureFor('ledger.totals').query(async ({ ctx }) => {
    return (await ctx.ledger.readTotals()).map(toTotalsOutput);
  }),
} satisfies TRPCRouterRecord;
