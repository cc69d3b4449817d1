import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import { createCallerFactory, createTRPCRouter } from './init';
import { auditRouter, authRouter, keysRouter, usersRouter } from './routers/access';
import { holdsRouter } from './routers/holds';
import { eventsRouter } from './routers/events';
import { ledgerRouter } from './routers/ledger';
import { transactionsRouter } from './routers/transactions';
import { walletsRouter } from './routers/wallets';
import { webhooksRouter } from './routers/webhooks';

/** Composition only: every procedure lives in routers/. */
export const appRouter = createTRPCRouter({
  wallets: walletsRouter,
  transactions: transactionsRouter,
  holds: holdsRouter,
  events: eventsRouter,
  ledger: ledgerRouter,
  auth: authRouter,
  keys: keysRouter,
  users: usersRouter,
  audit: auditRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process: `createCaller(createContextInner({ ledger, access, auth })).wallets.list({})`. */
export const createCaller = createCallerFactory(appRouter);
