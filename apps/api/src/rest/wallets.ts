import {
  createWalletInput,
  JSON_NESTING_DEPTH_MAX,
  REQUEST_BODY_BYTES_MAX,
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
} from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';

import { writeContextOf } from '../security/guard';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { mapPage, toRestTransaction, toRestWallet } from '../dto';

const ERROR_DESCRIPTIONS = {
  400: `Malformed JSON (a syntax error, a key given twice with different values, nesting deeper than ${JSON_NESTING_DEPTH_MAX} levels, bytes that are not UTF-8), a malformed id in the path, or a refused operation (insufficient balance, same wallet, currency mismatch, a balance past the maximum)`,
  404: 'The wallet does not exist',
  409: 'The idempotency key was already used; the message names the original transaction',
  413: `The request body is larger than ${REQUEST_BODY_BYTES_MAX} bytes`,
  414: 'A path segment longer than 100 characters (no wallet id is)',
  415: 'The request body is not JSON',
  401: 'No credential, or a wrong, revoked or expired one (Authorization: Bearer <API key>)',
  403: 'The credential is valid but its role may not do this (or a cookie-authenticated write lacks its CSRF token)',
  422: 'The request failed validation; the message names every wrong field',
  429: 'Too many requests for this API key or address; Retry-After says when to retry',
  503: 'The ledger is busy (nothing was written) or its database is unavailable (retry with the same idempotency key: a 409 then means the write had been applied)',
} as const;

type DocumentedError = keyof typeof ERROR_DESCRIPTIONS;

/** The error responses a route can give, all in the documented shape, for the OpenAPI document. */
function errorResponses<S extends DocumentedError>(...routeStatuses: S[]) {
  const statuses = [...routeStatuses, 401, 403, 429] as const;
  const entries = statuses.map((status) => [
    status,
    restError.describe(ERROR_DESCRIPTIONS[status]),
  ]);
  return Object.fromEntries(entries) as Record<S | 401 | 403 | 429, typeof restError>;
}

const WRITE_ERRORS = errorResponses(400, 404, 409, 413, 415, 422, 503);

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
          ...errorResponses(400, 413, 415, 422),
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
        response: { 200: restWallet.describe('The funded wallet'), ...WRITE_ERRORS },
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
          ...WRITE_ERRORS,
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
        response: { 200: restWalletPage.describe('A page of wallets'), ...errorResponses(422) },
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
          ...errorResponses(400, 404, 414),
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
          ...errorResponses(400, 404, 414, 422),
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
