import type { TRPCRouterRecord } from '@trpc/server';
import { getTransactionInput, reverseTransactionInput } from '@wallet/contract';

import { toReversalOutput, toTransactionDetailOutput } from '../../dto';
import { procedureFor } from '../init';

/**
 * One transaction, with its legs and its reversals (or its original), by its id or a
 * leg's: what a 409 names. And its reversal, in full or in part.
 */
export const transactionsRouter = {
  byId: procedureFor('transactions.byId')
    .input(getTransactionInput)
    .query(async ({ ctx, input }) =>
      toTransactionDetailOutput(await ctx.ledger.getTransaction(input)),
    ),

  reverse: procedureFor('transactions.reverse')
    .input(reverseTransactionInput)
    .mutation(async ({ ctx, input }) =>
      toReversalOutput(await ctx.ledger.reverseTransaction(input, ctx.write)),
    ),
} satisfies TRPCRouterRecord;
