import type { IDEMPOTENCY_KEY_HEADER } from '@wallet/contract';
import {
  restCaptureHoldBody,
  restHold,
  restHoldParams,
  restPlaceHoldBody,
  restVoidHoldBody,
  restWalletBalance,
  restWalletBalanceAsOf,
  restWalletBalanceQuery,
  restWalletParams,
  restWriteHeaders,
} from '@wallet/contract';
import type { Ledger, Wallet } from '@wallet/ledger';
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';

import { toRestHold, toRestWalletBalance, toRestWalletBalanceAsOf } from '../dto';
import { writeContextOf } from '../security/guard';
import { withHeaderKey } from './idempotency-header';
import { BODY_ERRORS, errorResponses } from './responses';

const WRITE_ERRORS = [
  ...BODY_ERRORS,
  'DUPLICATE_IDEMPOTENCY_KEY',
  'LEDGER_BUSY',
  'LEDGER_UNAVAILABLE',
] as const;
const HOLD_PATH_ERRORS = ['INVALID_PATH', 'URI_TOO_LONG', 'HOLD_NOT_FOUND'] as const;

/** The hold and its paying wallet's balance after a write. */
const restHoldWithBalance = z.object({
  hold: restHold,
  balance: restWalletBalance.meta({ description: "The paying wallet's balance after it" }),
});

/** The key of a hold's write: the body's `idempotency_key` or the Idempotency-Key header. */
function keyOf(
  body: { idempotency_key?: string },
  headers: { [IDEMPOTENCY_KEY_HEADER]?: string },
): string | undefined {
  return withHeaderKey({ idempotencyKey: body.idempotency_key }, headers).idempotencyKey;
}

/** The balance view of a wallet a write returned (as GET /wallets/:id/balance shows it). */
function balanceOf(wallet: Wallet) {
  return toRestWalletBalance({
    walletId: wallet.id,
    currency: wallet.currency,
    balanceMinor: wallet.balanceMinor,
    heldMinor: wallet.heldMinor,
    availableMinor: wallet.availableMinor,
  });
}

/**
 * Holds (two-phase) and a wallet's balance with what its holds reserve. Each handler is
 * one ledger call between the schema and the DTO, as the /wallets routes.
 */
export const holdRoutes: FastifyPluginCallbackZod<{ ledger: Ledger }> = (app, { ledger }, done) => {
  // A capture or void without a body (no Content-Type either) reads as an empty object.
  app.addHook('preValidation', (request, _reply, next) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {};
    next();
  });

  app.post(
    '/holds',
    {
      config: { operation: 'holds.place' },
      schema: {
        summary: 'Reserve an amount of a wallet (its available falls), optionally for a receiver',
        tags: ['holds'],
        headers: restWriteHeaders,
        body: restPlaceHoldBody,
        response: {
          201: restHoldWithBalance.describe('The pending hold, and the wallet after it'),
          ...errorResponses(
            ...WRITE_ERRORS,
            'WALLET_NOT_FOUND',
            'WALLET_FROZEN',
            'WALLET_CLOSED',
            'INSUFFICIENT_FUNDS',
            'SAME_WALLET_TRANSFER',
            'CURRENCY_MISMATCH',
          ),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { hold, wallet } = await ledger.placeHold(
        {
          walletId: body.wallet_id,
          amount: body.amount,
          receiverWalletId: body.receiver_wallet_id,
          expiresAt: body.expires_at,
          description: body.description,
          metadata: body.metadata,
          idempotencyKey: keyOf(body, request.headers),
        },
        writeContextOf(request),
      );
      return reply.code(201).send({ hold: toRestHold(hold), balance: balanceOf(wallet) });
    },
  );

  app.get(
    '/holds/:id',
    {
      config: { operation: 'holds.byId' },
      schema: {
        summary: 'One hold',
        tags: ['holds'],
        params: restHoldParams,
        response: { 200: restHold.describe('The hold'), ...errorResponses(...HOLD_PATH_ERRORS) },
      },
    },
    async (request) => toRestHold(await ledger.getHold({ holdId: request.params.id })),
  );

  app.post(
    '/holds/:id/capture',
    {
      config: { operation: 'holds.capture' },
      schema: {
        summary:
          'Move all of a pending hold (no amount) or part of it, once: to its receiver, or out as a withdrawal; the rest is released',
        tags: ['holds'],
        headers: restWriteHeaders,
        params: restHoldParams,
        body: restCaptureHoldBody,
        response: {
          200: restHoldWithBalance
            .extend({
              transactionId: z.uuid().meta({
                description: 'The transaction the capture made: `GET /transactions/{id}`',
              }),
            })
            .describe('The captured hold, the paying wallet after it, and the transaction'),
          ...errorResponses(
            ...WRITE_ERRORS,
            ...HOLD_PATH_ERRORS,
            'HOLD_NOT_PENDING',
            'HOLD_EXPIRED',
            'CAPTURE_EXCEEDS_HOLD',
            'WALLET_FROZEN',
            'WALLET_CLOSED',
            'BALANCE_LIMIT_EXCEEDED',
          ),
        },
      },
    },
    async (request) => {
      const { hold, wallet, transactionId } = await ledger.captureHold(
        {
          holdId: request.params.id,
          amount: request.body.amount,
          metadata: request.body.metadata,
          idempotencyKey: keyOf(request.body, request.headers),
        },
        writeContextOf(request),
      );
      return { hold: toRestHold(hold), balance: balanceOf(wallet), transactionId };
    },
  );

  app.post(
    '/holds/:id/void',
    {
      config: { operation: 'holds.void' },
      schema: {
        summary: 'Release a pending hold without moving anything (past its expiry: EXPIRED)',
        tags: ['holds'],
        headers: restWriteHeaders,
        params: restHoldParams,
        body: restVoidHoldBody,
        response: {
          200: restHoldWithBalance.describe('The released hold, and the wallet after it'),
          ...errorResponses(...WRITE_ERRORS, ...HOLD_PATH_ERRORS, 'HOLD_NOT_PENDING'),
        },
      },
    },
    async (request) => {
      const { hold, wallet } = await ledger.voidHold(
        { holdId: request.params.id, idempotencyKey: keyOf(request.body, request.headers) },
        writeContextOf(request),
      );
      return { hold: toRestHold(hold), balance: balanceOf(wallet) };
    },
  );

  app.get(
    '/wallets/:id/balance',
    {
      config: { operation: 'wallets.balance' },
      schema: {
        summary: "A wallet's balance, what its pending holds reserve, and what it can spend",
        description:
          'Without as_of: the balance now, held (what its pending holds reserve) and available (balance − held). With as_of (ISO 8601 with its offset): the balance as of that moment, every entry stamped at or before it counted, as {wallet_id, currency, balance, as_of}: held and available are not known historically, so that answer has neither.',
        tags: ['wallets'],
        params: restWalletParams,
        querystring: restWalletBalanceQuery,
        response: {
          200: z
            .union([restWalletBalance, restWalletBalanceAsOf])
            .describe('balance, held and available; with as_of, the balance then only'),
          ...errorResponses('INVALID_PATH', 'URI_TOO_LONG', 'WALLET_NOT_FOUND', 'INVALID_INPUT'),
        },
      },
    },
    async (request) => {
      const walletId = request.params.id;
      const asOf = request.query.as_of;
      if (asOf === undefined) {
        return toRestWalletBalance(await ledger.getWalletBalance({ walletId }));
      }
      return toRestWalletBalanceAsOf(await ledger.getBalanceAsOf({ walletId, asOf }));
    },
  );
  done();
};
