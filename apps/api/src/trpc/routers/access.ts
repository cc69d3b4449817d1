import type { TRPCRouterRecord } from '@trpc/server';
import type { ApiKeyInfo, OperatorInfo, Principal } from '@wallet/access';
import {
  createApiKeyInput,
  createOperatorInput,
  disableOperatorInput,
  listAuditInput,
  listPageInput,
  revokeApiKeyInput,
  signInInput,
} from '@wallet/contract';

import { clearedSessionCookie, sessionCookie } from '../../security/cookies';
import { procedureFor, signedInProcedureFor } from '../init';

/** Who is asking, as the dashboard shows it; the CSRF token only to its own session. */
function toSessionOutput(principal: Principal) {
  return principal.kind === 'user'
    ? {
        kind: principal.kind,
        id: principal.id,
        name: principal.username,
        role: principal.role,
        csrfToken: principal.csrfToken,
      }
    : {
        kind: principal.kind,
        id: principal.id,
        name: principal.name,
        role: principal.role,
        csrfToken: null,
      };
}

const toKeyOutput = (key: ApiKeyInfo) => key;
const toOperatorOutput = (operator: OperatorInfo) => operator;

/** Dashboard sign-in: a session in PostgreSQL, its token in an HttpOnly cookie. */
export const authRouter = {
  signIn: procedureFor('auth.signIn')
    .input(signInInput)
    .mutation(async ({ ctx, input }) => {
      await ctx.http?.limitSignIn(input.username);
      const signed = await ctx.access.signIn(input, ctx.requestId);
      const maxAgeSeconds = (signed.expiresAt.getTime() - Date.now()) / 1000;
      ctx.http?.setCookie(sessionCookie(signed.token, maxAgeSeconds, ctx.session.cookie));
      return toSessionOutput(signed.principal);
    }),

  session: signedInProcedureFor('auth.session').query(({ ctx }) => toSessionOutput(ctx.principal)),

  signOut: signedInProcedureFor('auth.signOut').mutation(async ({ ctx }) => {
    if (ctx.principal.kind === 'user') await ctx.access.signOut(ctx.principal, ctx.requestId);
    ctx.http?.setCookie(clearedSessionCookie(ctx.session.cookie));
    return { signedOut: true };
  }),
} satisfies TRPCRouterRecord;

/** API keys: the secret of a new key is in the answer once, and nowhere else ever. */
export const keysRouter = {
  create: procedureFor('keys.create')
    .input(createApiKeyInput)
    .mutation(async ({ ctx, input }) => {
      const { apiKey, key } = await ctx.access.createApiKey(input, ctx.write);
      return { apiKey, key: toKeyOutput(key) };
    }),
  list: procedureFor('keys.list')
    .input(listPageInput)
    .query(async ({ ctx, input }) => ctx.access.listApiKeys(input)),
  revoke: procedureFor('keys.revoke')
    .input(revokeApiKeyInput)
    .mutation(async ({ ctx, input }) =>
      toKeyOutput(await ctx.access.revokeApiKey(input, ctx.write)),
    ),
} satisfies TRPCRouterRecord;

export const usersRouter = {
  create: procedureFor('users.create')
    .input(createOperatorInput)
    .mutation(async ({ ctx, input }) =>
      toOperatorOutput(await ctx.access.createOperator(input, ctx.write)),
    ),
  list: procedureFor('users.list')
    .input(listPageInput)
    .query(async ({ ctx, input }) => ctx.access.listOperators(input)),
  disable: procedureFor('users.disable')
    .input(disableOperatorInput)
    .mutation(async ({ ctx, input }) =>
      toOperatorOutput(await ctx.access.disableOperator(input, ctx.write)),
    ),
} satisfies TRPCRouterRecord;

export const auditRouter = {
  list: procedureFor('audit.list')
    .input(listAuditInput)
    .query(async ({ ctx, input }) => ctx.access.listAudit(input)),
} satisfies TRPCRouterRecord;
