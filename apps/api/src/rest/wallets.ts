import {
  createWalletInput,
  describeErrorStatuses,
  restError,
  restFundWalletBody,
  restListTransactionsQuery,
  restListWalletsQuery,
  restTransactionPage,
  restTransferResult,
  restWallet,
  restWalletPage,
  restWalletParams,
  restWalletWithTransactions,
  transferFundsInput,
  type ErrorCode,
  type HttpStatusOf,
} from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';

import { writeContextOf } from '../security/guard';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { mapPage, toRestTransaction, toRestWallet } from '../dto';

/** Every /wallets route can refuse its caller: no credential, a role too weak, too many requests. */
const GUARD_ERRORS = ['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED', 'RATE_LIMITED'] as const;

/**
 * The error responses of a route that can fail with `codes`, for the OpenAPI document:
 * one per status, in the documented shape, its description made from the catalogue's
 * words for each code it carries.
 */
function errorResponses<C extends ErrorCode>(...codes: C[]) {
  const described = describeErrorStatuses([...codes, ...GUARD_ERRORS]);
  const entries = Object.entries(described).map(([status, text]) => [
    status,
    restError.describe(text as string),
  ]);
  type Status = HttpStatusOf<C | (typeof GUARD_ERRORS)[number]>;
  return Object.fromEntries(entries) as Record<Status, typeof restError>;
}

const BODY_ERRORS = [
  'MALFORMED_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_INPUT',
] as const;
const MOVEMENT_ERRORS = [
  ...BODY_ERRORS,
  'WALLET_NOT_FOUND',
  'BALANCE_LIMIT_EXCEEDED',
  'DUPLICATE_IDEMPOTENCY_KEY',
  'LEDGER_BUSY',
  'LEDGER_UNAVAILABLE',
] as const;
const PATH_ERRORS = ['INVALID_PATH', 'URI_TOO_LONG', 'WALLET_NOT_FOUND'] as const;

/**
 * The documented /wallets endpoints. Each handler is one ledger call between the schema
 * (which parsed the request) and the DTO (which shapes the response).
 */
export const walletRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (
  app,
  { ledger },
  done,
) => {
  // No body at all (no Content-Type either) reads as an empty object, like an empty JSON
  // body. Only a missing body: `??=` also turned a JSON `null` into {}, so `null` created
  // a wallet where any other body that is not an object is a 422.
  app.addHook('preValidation', (request, _reply, next) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {};
    next();
  });

  app.post(
    '/wallets',
    {
      config: { operation: 'wallets.create' },
      schema: {
        summary: 'Create a wallet (USD unless a currency is given)',
        tags: ['wallets'],
        body: createWalletInput,
        response: {
          201: restWallet.describe('The new wallet'),
          ...errorResponses(...BODY_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const wallet = await ledger.createWallet(request.body, writeContextOf(request));
      return reply.code(201).send(toRestWallet(wallet));
    },
  );

  app.post(
    '/wallets/fund',
    {
      config: { operation: 'wallets.fund' },
      schema: {
        summary: 'Add money to a wallet',
        tags: ['wallets'],
        body: restFundWalletBody,
        response: {
          200: restWallet.describe('The funded wallet'),
          ...errorResponses(...MOVEMENT_ERRORS),
        },
      },
    },
    async (request) => {
      const { wallet_id: walletId, ...movement } = request.body;
      const { wallet } = await ledger.fundWallet(
        { walletId, ...movement },
        writeContextOf(request),
      );
      return toRestWallet(wallet);
    },
  );

  app.post(
    '/wallets/transfer',
    {
      config: { operation: 'wallets.transfer' },
      schema: {
        summary: 'Move money from one wallet to another of the same currency',
        tags: ['wallets'],
        body: transferFundsInput,
        response: {
          200: restTransferResult.describe('Both wallets after the transfer'),
          ...errorResponses(
            ...MOVEMENT_ERRORS,
            'INSUFFICIENT_FUNDS',
            'SAME_WALLET_TRANSFER',
            'CURRENCY_MISMATCH',
          ),
        },
      },
    },
    async (request) => {
      const { sender, receiver } = await ledger.transferFunds(
        request.body,
        writeContextOf(request),
      );
      return { sender: toRestWallet(sender), receiver: toRestWallet(receiver) };
    },
  );

  app.get(
    '/wallets',
    {
      config: { operation: 'wallets.list' },
      schema: {
        summary: 'List wallets, newest first',
        tags: ['wallets'],
        querystring: restListWalletsQuery,
        response: {
          200: restWalletPage.describe('A page of wallets'),
          ...errorResponses('INVALID_INPUT'),
        },
      },
    },
    async (request) => mapPage(await ledger.listWallets(request.query), toRestWallet),
  );

  app.get(
    '/wallets/:id',
    {
      config: { operation: 'wallets.byId' },
      schema: {
        summary: 'A wallet with its latest transactions, newest first',
        tags: ['wallets'],
        params: restWalletParams,
        response: {
          200: restWalletWithTransactions.describe('The wallet and its latest transactions'),
          ...errorResponses(...PATH_ERRORS),
        },
      },
    },
    async (request) => {
      const wallet = await ledger.getWallet({ walletId: request.params.id });
      return { ...toRestWallet(wallet), transactions: wallet.transactions.map(toRestTransaction) };
    },
  );

  app.get(
    '/wallets/:id/transactions',
    {
      config: { operation: 'wallets.transactions' },
      schema: {
        summary: "A page of a wallet's transactions, newest first",
        tags: ['wallets'],
        params: restWalletParams,
        querystring: restListTransactionsQuery,
        response: {
          200: restTransactionPage.describe('A page of transactions'),
          ...errorResponses(...PATH_ERRORS, 'INVALID_INPUT'),
        },
      },
    },
    async (request) => {
      const page = await ledger.listTransactions({ walletId: request.params.id, ...request.query });
      return mapPage(page, toRestTransaction);
    },
  );
  done();
};
