import { initTRPC, type TRPCError } from '@trpc/server';
import type { Ledger } from '@wallet/ledger';
import { LedgerError } from '@wallet/ledger';
import superjson from 'superjson';
import { z } from 'zod';

import { isDevelopment } from '../env';
import { INTERNAL_ERROR_MESSAGE, invalidInputFrom, trpcErrorFrom } from '../errors';

/** What every procedure may use. No request in it, so tests and server code call procedures directly. */
export function createContextInner(deps: { ledger: Ledger }) {
  return { ledger: deps.ledger };
}

export type Context = ReturnType<typeof createContextInner>;

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  isDev: isDevelopment,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      // A tRPC INTERNAL_SERVER_ERROR carries its cause's message, which for a database
      // error holds SQL and parameters: clients get a fixed sentence, the log the rest.
      message: error.code === 'INTERNAL_SERVER_ERROR' ? INTERNAL_ERROR_MESSAGE : shape.message,
      data: {
        ...shape.data,
        ledgerCode: error.cause instanceof LedgerError ? error.cause.code : null,
      },
    };
  },
});

/**
 * Runs around input parsing and the resolver: a ledger error becomes its tRPC code by the
 * one table, and a zod input failure becomes INVALID_INPUT (UNPROCESSABLE_CONTENT) with the
 * same message REST gives, instead of tRPC's BAD_REQUEST with zod's JSON.
 */
const ledgerErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  throw toDomainError(result.error);
});

function toDomainError(error: TRPCError): TRPCError {
  const { cause } = error;
  if (cause instanceof LedgerError) return trpcErrorFrom(cause);
  if (cause instanceof z.ZodError) return trpcErrorFrom(invalidInputFrom(cause));
  return error;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The base of every procedure: nothing is public without the error mapping. */
export const ledgerProcedure = t.procedure.use(ledgerErrors);
