import type { TRPCRouterRecord } from '@trpc/server';
import {
  captureHoldInput,
  getHoldInput,
  listHoldsInput,
  placeHoldInput,
  voidHoldInput,
} from '@wallet/contract';

import { mapPage, toHoldOutput, toWalletOutput } from '../../dto';
import { procedureFor } from '../init';

/** Holds (two-phase): one ledger call per procedure, as the wallets' router. */
export const holdsRouter = {
  place: procedureFor('holds.place')
    .input(placeHoldInput)
    .mutation(async ({ ctx, input }) => {
      const { hold, wallet } = await ctx.ledger.placeHold(input, ctx.write);
      return { hold: toHoldOutput(hold), wallet: toWalletOutput(wallet) };
    }),

  capture: procedureFor('holds.capture')
    .input(captureHoldInput)
    .mutation(async ({ ctx, input }) => {
      const { hold, transactionId, wallet, receiver } = await ctx.ledger.captureHold(
        input,
        ctx.write,
      );
      return {
        hold: toHoldOutput(hold),
        transactionId,
        wallet: toWalletOutput(wallet),
        receiver: receiver && toWalletOutput(receiver),
      };
    }),

  void: procedureFor('holds.void')
    .input(voidHoldInput)
    .mutation(async ({ ctx, input }) => {
      const { hold, wallet } = await ctx.ledger.voidHold(input, ctx.write);
      return { hold: toHoldOutput(hold), wallet: toWalletOutput(wallet) };
    }),

  byId: procedureFor('holds.byId')
    .input(getHoldInput)
    .query(async ({ ctx, input }) => toHoldOutput(await ctx.ledger.getHold(input))),

  /** A wallet's holds (those it pays), newest first. */
  list: procedureFor('holds.list')
    .input(listHoldsInput)
    .query(async ({ ctx, input }) => mapPage(await ctx.ledger.listHolds(input), toHoldOutput)),
} satisfies TRPCRouterRecord;
