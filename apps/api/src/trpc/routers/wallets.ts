import type { TRPCRouterRecord } from '@trpc/server';
import {
  balanceSeriesInput,
  createWalletInput,
  fundWalletInput,
  getBalanceAsOfInput,
  getWalletInput,
  listTransactionsInput,
  listWalletsInput,
  transferFundsInput,
  updateWalletInput,
  walletStatementInput,
  withdrawFundsInput,
} from '@wallet/contract';

import {
  mapPage,
  toBalanceAsOfOutput,
  toBalanceSeriesOutput,
  toStatementPageOutput,
  toTransactionOutput,
  toWalletBalanceOutput,
  toWalletOutput,
} from '../../dto';
import { procedureFor } from '../init';

/** One ledger call per procedure; the ledger parses its input again, so these stay thin. */
export const walletsRouter = {
  create: procedureFor('wallets.create')
    .input(createWalletInput)
    .mutation(async ({ ctx, input }) => {
      return toWalletOutput(await ctx.ledger.createWallet(input, ctx.write));
    }),

  /** Freeze, unfreeze or close the wallet, and/or replace its metadata. */
  update: procedureFor('wallets.update')
    .input(updateWalletInput)
    .mutation(async ({ ctx, input }) => {
      return toWalletOutput(await ctx.ledger.updateWallet(input, ctx.write));
    }),

  fund: procedureFor('wallets.fund')
    .input(fundWalletInput)
    .mutation(async ({ ctx, input }) => {
      const { wallet, entry } = await ctx.ledger.fundWallet(input, ctx.write);
      return { wallet: toWalletOutput(wallet), transaction: toTransactionOutput(entry) };
    }),

  transfer: procedureFor('wallets.transfer')
    .input(transferFundsInput)
    .mutation(async ({ ctx, input }) => {
      const { transferId, sender, receiver } = await ctx.ledger.transferFunds(input, ctx.write);
      return { transferId, sender: toWalletOutput(sender), receiver: toWalletOutput(receiver) };
    }),

  /** A payout: money leaves the wallet to its currency's external account. */
  withdraw: procedureFor('wallets.withdraw')
    .input(withdrawFundsInput)
    .mutation(async ({ ctx, input }) => {
      const { wallet, entry } = await ctx.ledger.withdrawFunds(input, ctx.write);
      return { wallet: toWalletOutput(wallet), transaction: toTransactionOutput(entry) };
    }),

  byId: procedureFor('wallets.byId')
    .input(getWalletInput)
    .query(async ({ ctx, input }) => {
      const wallet = await ctx.ledger.getWallet(input);
      return {
        ...toWalletOutput(wallet),
        transactions: wallet.transactions.map(toTransactionOutput),
        nextCursor: wallet.nextCursor,
      };
    }),

  list: procedureFor('wallets.list')
    .input(listWalletsInput)
    .query(async ({ ctx, input }) => {
      return mapPage(await ctx.ledger.listWallets(input), toWalletOutput);
    }),

  /** The balance, what pending holds reserve, and what the wallet can spend. */
  balance: procedureFor('wallets.balance')
    .input(getWalletInput)
    .query(async ({ ctx, input }) =>
      toWalletBalanceOutput(await ctx.ledger.getWalletBalance(input)),
    ),

  transactions: procedureFor('wallets.transactions')
    .input(listTransactionsInput)
    .query(async ({ ctx, input }) => {
      return mapPage(await ctx.ledger.listTransactions(input), toTransactionOutput);
    }),

  /** The balance after every entry stamped at or before `asOf`. */
  balanceAsOf: procedureFor('wallets.balanceAsOf')
    .input(getBalanceAsOfInput)
    .query(async ({ ctx, input }) => toBalanceAsOfOutput(await ctx.ledger.getBalanceAsOf(input))),

  /** The balance at evenly spaced instants of a period (the dashboard's chart). */
  balanceSeries: procedureFor('wallets.balanceSeries')
    .input(balanceSeriesInput)
    .query(async ({ ctx, input }) => toBalanceSeriesOutput(await ctx.ledger.balanceSeries(input))),

  /** A page of a period's statement (the dashboard's CSV download reads them in turn). */
  statement: procedureFor('wallets.statement')
    .input(walletStatementInput)
    .query(async ({ ctx, input }) =>
      toStatementPageOutput(await ctx.ledger.readStatementPage(input)),
    ),
} satisfies TRPCRouterRecord;
