import { createTRPCReact, type TRPCClientErrorLike } from '@trpc/react-query';
import type { AppRouter, RouterInputs, RouterOutputs } from '@wallet/api';

/** Typed by the API's router, imported as a type only: no server code reaches the bundle. */
export const trpc = createTRPCReact<AppRouter>();

export type { RouterInputs, RouterOutputs };
export type ApiError = TRPCClientErrorLike<AppRouter>;

export type Wallet = RouterOutputs['wallets']['list']['items'][number];
export type WalletDetail = RouterOutputs['wallets']['byId'];
export type Entry = RouterOutputs['wallets']['transactions']['items'][number];
export type LedgerCheck = RouterOutputs['ledger']['verify'];
export type Violation = LedgerCheck['violations'][number];
export type CurrencyTotal = LedgerCheck['totals'][number];
export type SessionInfo = RouterOutputs['auth']['session'];
export type ApiKeyItem = RouterOutputs['keys']['list']['items'][number];
export type OperatorItem = RouterOutputs['users']['list']['items'][number];
export type AuditItem = RouterOutputs['audit']['list']['items'][number];
export type HoldItem = RouterOutputs['holds']['list']['items'][number];
export type WebhookItem = RouterOutputs['webhooks']['list'][number];
export type WebhookDeliveryItem = RouterOutputs['webhooks']['deliveries']['items'][number];
