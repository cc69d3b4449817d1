import type { TRPCRouterRecord } from '@trpc/server';
import { getTransactionInput } from '@wallet/contract';

import { toTransactionDetailOutput } from '../../dto';
import { procedureFor } from '../init';

/** One funding, or one transfer with both legs, by its id or a leg's: what a 409 names. */
export const transactionsRouter = {
  byId: procedureFor('transactions.byId')
    .input(getTransactionInput)
    .query(async ({ ctx, input }) =>
      toTransactionDetailOutput(await ctx.ledger.getTransaction(input)),
    ),
} satisfies TRPCRouterRecord;
