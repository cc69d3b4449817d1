import {
  createWalletInput,
  restFundResult,
  restFundWalletBody,
  restListTransactionsQuery,
  restListWalletsQuery,
  restTransactionPage,
  restTransferResult,
  restUpdateWalletBody,
  restWallet,
  restWalletPage,
  restWalletParams,
  restWalletWithTransactions,
  restWithdrawFundsBody,
  restWithdrawResult,
  restWriteHeaders,
  transferFundsInput,
} from '@wallet/contract';
import type { Ledger } from '@wallet/ledger';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { mapPage, toRestTransaction, toRestWallet } from '../dto';
import { writeContextOf } from '../security/guard';
import { withHeaderKey } from './idempotency-header';
import { foldMetadataQueryHook } from './metadata-query';
import { BODY_ERRORS, errorResponses } from './responses';

const MOVEMENT_ERRORS = [
  ...BODY_ERRORS,
  'WALLET_NOT_FOUND',
  'WALLET_FROZEN',
  'WALLET_CLOSED',
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
        headers: restWriteHeaders,
        body: createWalletInput,
        response: {
          201: restWallet.describe('The new wallet'),
          ...errorResponses(...BODY_ERRORS, 'DUPLICATE_IDEMPOTENCY_KEY', 'LEDGER_UNAVAILABLE'),
        },
      },
    },
    async (request, reply) => {
      const input = withHeaderKey(request.body, request.headers);
      const wallet = await ledger.createWallet(input, writeContextOf(request));
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
        headers: restWriteHeaders,
        body: restFundWalletBody,
        response: {
          200: restFundResult.describe('The funded wallet, and the FUND transaction'),
          ...errorResponses(...MOVEMENT_ERRORS),
        },
      },
    },
    async (request) => {
      const { wallet_id: walletId, ...movement } = withHeaderKey(request.body, request.headers);
      const { wallet, entry } = await ledger.fundWallet(
        { walletId, ...movement },
        writeContextOf(request),
      );
      return { ...toRestWallet(wallet), transactionId: entry.id };
    },
  );

  app.post(
    '/wallets/withdraw',
    {
      config: { operation: 'wallets.withdraw' },
      schema: {
        summary: "Pay money out of a wallet (to its currency's external account)",
        tags: ['wallets'],
        headers: restWriteHeaders,
        body: restWithdrawFundsBody,
        response: {
          200: restWithdrawResult.describe(
            'The wallet after the withdrawal, and the WITHDRAWAL transaction',
          ),
          ...errorResponses(...MOVEMENT_ERRORS, 'INSUFFICIENT_FUNDS'),
        },
      },
    },
    async (request) => {
      const { wallet_id: walletId, ...movement } = withHeaderKey(request.body, request.headers);
      const { wallet, entry } = await ledger.withdrawFunds(
        { walletId, ...movement },
        writeContextOf(request),
      );
      return { ...toRestWallet(wallet), transactionId: entry.id };
    },
  );

  app.post(
    '/wallets/transfer',
    {
      config: { operation: 'wallets.transfer' },
      schema: {
        summary: 'Move money from one wallet to another of the same currency',
        tags: ['wallets'],
        headers: restWriteHeaders,
        body: transferFundsInput,
        response: {
          200: restTransferResult.describe('Both wallets after the transfer, and its id'),
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
      const { transferId, sender, receiver } = await ledger.transferFunds(
        withHeaderKey(request.body, request.headers),
        writeContextOf(request),
      );
      return {
        sender: toRestWallet(sender),
        receiver: toRestWallet(receiver),
        transactionId: transferId,
      };
    },
  );

  app.get(
    '/wallets',
    {
      config: { operation: 'wallets.list' },
      preValidation: foldMetadataQueryHook,
      schema: {
        summary: 'List wallets, newest first',
        description:
          'Filter by `currency`, `status`, and by metadata: `metadata[key]=value`, repeatable with different keys (every pair must match; at most 4).',
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

  app.patch(
    '/wallets/:id',
    {
      config: { operation: 'wallets.update' },
      schema: {
        summary: 'Freeze, unfreeze or close a wallet, and/or replace its metadata',
        description:
          "`status`: ACTIVE and FROZEN change into each other (a frozen wallet takes money in, lets none out); either may become CLOSED, only with a zero balance and no pending hold, and a closed wallet stays closed (no movement at all). `metadata` replaces the wallet's whole metadata: keys left out are removed, `{}` clears it. The same status, or the same metadata, changes nothing. Each status change is recorded as a `wallet.status_changed` event.",
        tags: ['wallets'],
        params: restWalletParams,
        body: restUpdateWalletBody,
        response: {
          200: restWallet.describe('The wallet after the change'),
          ...errorResponses(
            ...BODY_ERRORS,
            ...PATH_ERRORS,
            'WALLET_NOT_EMPTY',
            'WALLET_HAS_PENDING_HOLDS',
            'WALLET_STATUS_TRANSITION_INVALID',
            'LEDGER_BUSY',
            'LEDGER_UNAVAILABLE',
          ),
        },
      },
    },
    async (request) => {
      const wallet = await ledger.updateWallet(
        { walletId: request.params.id, ...request.body },
        writeContextOf(request),
      );
      return toRestWallet(wallet);
    },
  );

  app.get(
    '/wallets/:id/transactions',
    {
      config: { operation: 'wallets.transactions' },
      preValidation: foldMetadataQueryHook,
      schema: {
        summary: "A page of a wallet's transactions, newest first",
        description:
          'Filters combine (all must hold): `type`, the period `from` (inclusive) and `to` (exclusive), `counterpartyWalletId`, and metadata pairs as bracketed keys, `metadata[order]=A-17&metadata[shop]=north` (at most four; each key once).',
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
