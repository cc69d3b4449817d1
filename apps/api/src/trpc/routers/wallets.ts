import type { TRPCRouterRecord } from '@trpc/server';
import {
  createWalletInput,
  fundWalletInput,
  getWalletInput,
  listTransactionsInput,
  listWalletsInput,
  transferFundsInput,
} from '@wallet/contract';

import { mapPage, toTransactionOutput, toWalletOutput } from '../../dto';
import { ledgerProcedure } from '../init';

/** One ledger call per procedure; the ledger parses its input again, so these stay thin. */
export const walletsRouter = {
  create: ledgerProcedure.input(createWalletInput).mutation(async ({ ctx, input }) => {
    return toWalletOutput(await ctx.ledger.createWallet(input));
  }),

  fund: ledgerProcedure.input(fundWalletInput).mutation(async ({ ctx, input }) => {
    const { wallet, entry } = await ctx.ledger.fundWallet(input);
    return { wallet: toWalletOutput(wallet), transaction: toTransactionOutput(entry) };
  }),

  transfer: ledgerProcedure.input(transferFundsInput).mutation(async ({ ctx, input }) => {
    const { transferId, sender, receiver } = await ctx.ledger.transferFunds(input);
    return { transferId, sender: toWalletOutput(sender), receiver: toWalletOutput(receiver) };
  }),

  byId: ledgerProcedure.input(getWalletInput).query(async ({ ctx, input }) => {
    const wallet = await ctx.ledger.getWallet(input);
    return {
      ...toWalletOutput(wallet),
      transactions: wallet.transactions.map(toTransactionOutput),
      nextCursor: wallet.nextCursor,
    };
  }),

  list: ledgerProcedure.input(listWalletsInput).query(async ({ ctx, input }) => {
    return mapPage(await ctx.ledger.listWallets(input), toWalletOutput);
  }),

  transactions: ledgerProcedure.input(listTransactionsInput).query(async ({ ctx, input }) => {
    return mapPage(await ctx.ledger.listTransactions(input), toTransactionOutput);
  }),
} satisfies TRPCRouterRecord;
