import type { AccessRole } from '@wallet/contract';

/**
 * Which role each operation needs: the one table both transports enforce (REST routes
 * name their operation in their config, tRPC procedures in their builder). Roles are
 * hierarchical, read-only ⊂ operator ⊂ admin. `public` needs no credential;
 * `signed-in` needs any valid one.
 */
export const OPERATION_ROLES = {
  'wallets.create': 'operator',
  'wallets.fund': 'operator',
  'wallets.transfer': 'operator',
  'wallets.withdraw': 'operator',
  // Freezing, closing and describing a wallet: the operators who run the wallets.
  'wallets.update': 'operator',
  // A reversal moves money as the write it undoes did: an operator's.
  'transactions.reverse': 'operator',
  'wallets.byId': 'read-only',
  'wallets.list': 'read-only',
  'wallets.transactions': 'read-only',
  'wallets.balanceAsOf': 'read-only',
  'wallets.balanceSeries': 'read-only',
  'wallets.statement': 'read-only',
  'wallets.balance': 'read-only',
  // Holds reserve and move money: operators, as the other writes; anyone reads them.
  'holds.place': 'operator',
  'holds.capture': 'operator',
  'holds.void': 'operator',
  'holds.byId': 'read-only',
  'holds.list': 'read-only',
  // Transactions are read as wallets are: by any reader, whoever made them.
  'transactions.byId': 'read-only',
  // The outbox, pulled by page or pushed live: read as wallets are.
  'events.list': 'read-only',
  'events.live': 'read-only',
  'ledger.verify': 'read-only',
  'ledger.totals': 'read-only',
  // Who did what is for the people who act on the ledger: operators and admins.
  'audit.list': 'operator',
  'keys.create': 'admin',
  'keys.list': 'admin',
  'keys.revoke': 'admin',
  'users.create': 'admin',
  'users.list': 'admin',
  'users.disable': 'admin',
  // Webhooks say where the ledger's events go, and hold signing secrets: admins only.
  'webhooks.create': 'admin',
  'webhooks.list': 'admin',
  'webhooks.delete': 'admin',
  'webhooks.rotateSecret': 'admin',
  'webhooks.deliveries': 'admin',
  'webhooks.retry': 'admin',
  'auth.signIn': 'public',
  'auth.session': 'signed-in',
  'auth.signOut': 'signed-in',
  // Prometheus scrapes with a read-only key: one credential mechanism for everything.
  'metrics.read': 'read-only',
  'health.live': 'public',
  'health.ready': 'public',
  'openapi.read': 'public',
} as const satisfies Record<string, AccessRole | 'public' | 'signed-in'>;

export type Operation = keyof typeof OPERATION_ROLES;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route names its operation; a route without one is refused (fail closed). */
    operation?: Operation;
  }
}
