import { z } from 'zod';

import { CURRENCY_CODES, DEFAULT_CURRENCY, MAX_MINOR_DIGITS } from './currencies';
import { ERROR_CODES } from './error-catalogue';
import {
  AMOUNT_TEXT_LENGTH_MAX,
  BALANCE_SERIES_POINTS_DEFAULT,
  BALANCE_SERIES_POINTS_MAX,
  BALANCE_SERIES_POINTS_MIN,
  CURSOR_LENGTH_MAX,
  DESCRIPTION_LENGTH_MAX,
  HOLD_EXPIRY_DAYS_MAX,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  STATEMENT_PAGE_SIZE_MAX,
} from './limits';
import { fieldError } from './issues';
import { metadataFilterSchema, metadataSchema } from './metadata';
import { decimalTextOfNumber, MoneyFormatError, normalizeAmountText } from './money';
import { storableTextSchema } from './text';
import { ENTRY_STATUSES, HOLD_STATUSES, WALLET_ENTRY_TYPES, WALLET_STATUSES } from './vocabulary';

/**
 * The wire schemas: one definition of every input, shared by the ledger (which parses
 * its inputs with them), the tRPC procedures, the REST routes, the OpenAPI document
 * and the dashboard's forms.
 */

// ---------------------------------------------------------------- fields

export const walletIdSchema = z.uuid({ error: fieldError('must be a UUID') });

export const currencySchema = z.enum(CURRENCY_CODES, {
  error: fieldError(`must be one of ${CURRENCY_CODES.join(', ')}`),
});

/**
 * A JSON number that no double holds exactly (`100.500000000000001`, a 30-digit integer),
 * as it was written. A body parser that reads numbers losslessly hands these over in
 * this wrapper, not as strings: as a string, `{"description": 1e400}` would have passed
 * for the description "1e400" (and an idempotency key likewise), though a number is not
 * text. Only the amount schema reads it, as the decimal text it is; every other field
 * refuses it as the wrong type.
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/**
 * A positive amount in major units: a JSON number (`100.5`, as the documentation shows)
 * or decimal text (`"100.50"`, exact for any client). Normalised to canonical decimal
 * text; the ledger converts it to minor units with the wallet's currency digits.
 */
export const amountSchema = z
  .preprocess(
    // Typed as what clients send; a JsonNumberText comes only from a lossless body parser.
    (value: number | string): unknown => {
      const raw: unknown = value;
      return raw instanceof JsonNumberText ? raw.text : raw;
    },
    z.union(
      [
        z.number(),
        z.string().max(AMOUNT_TEXT_LENGTH_MAX, {
          error: `must be at most ${AMOUNT_TEXT_LENGTH_MAX} characters of decimal text`,
        }),
      ],
      { error: fieldError('must be a positive decimal number') },
    ),
  )
  .transform((value, ctx) => {
    try {
      return normalizeAmountText(typeof value === 'number' ? decimalTextOfNumber(value) : value);
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  })
  .meta({
    description: `A positive amount in major units (at most ${MAX_MINOR_DIGITS} decimal places, and no more than the wallet's currency has), as a JSON number or as decimal text.`,
    examples: [100.5, '100.50'],
  });

/** Printable ASCII without spaces: UUIDs, ULIDs and `unique-key-123` all fit. */
export const idempotencyKeySchema = z
  .string({ error: fieldError('must be a string') })
  .min(1, { error: 'must not be empty', abort: true })
  .max(IDEMPOTENCY_KEY_LENGTH_MAX, {
    error: `must be at most ${IDEMPOTENCY_KEY_LENGTH_MAX} characters`,
  })
  .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' });

/** Free text, stored as sent or not at all (storableTextSchema says why). */
export const descriptionSchema = storableTextSchema(DESCRIPTION_LENGTH_MAX);

/** A wallet's entry types: the external accounts' counter-entries never reach a client. */
export const entryTypeSchema = z.enum(WALLET_ENTRY_TYPES, {
  error: fieldError(`must be one of ${WALLET_ENTRY_TYPES.join(', ')}`),
});

export const pageLimitSchema = z.coerce
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(PAGE_SIZE_MAX, { error: `must be at most ${PAGE_SIZE_MAX}` })
  .default(PAGE_SIZE_DEFAULT);

/** Opaque to clients: pass back the `nextCursor` of the previous page. */
export const cursorSchema = z
  .string({ error: fieldError('must be a string') })
  .min(1, { error: 'must not be empty' })
  .max(CURSOR_LENGTH_MAX, { error: `must be at most ${CURSOR_LENGTH_MAX} characters` });

/**
 * A moment, as ISO 8601 text with its offset (`2026-12-01T00:00:00Z`): the same in a REST
 * query string, a JSON body and a tRPC input.
 */
export const timestampSchema = z.iso
  .datetime({
    offset: true,
    error: fieldError('must be an ISO 8601 date-time with its offset, e.g. 2026-12-01T00:00:00Z'),
  })
  .meta({ examples: ['2026-12-01T00:00:00Z'] });

const periodFields = {
  /** Inclusive. */
  from: timestampSchema.optional(),
  /** Exclusive. */
  to: timestampSchema.optional(),
};

function fromBeforeTo(input: { from?: string; to?: string }): boolean {
  return !input.from || !input.to || Date.parse(input.from) < Date.parse(input.to);
}

const FROM_BEFORE_TO = { error: 'from must be earlier than to', path: ['to'] };

// ---------------------------------------------------------------- metadata

/** A write's metadata, as its input takes it (absent: none, stored as {}). */
export const writeMetadataSchema = metadataSchema.meta({
  description:
    'Your own facts about this write (an order id, a reference): a flat object of string values, stored with the transaction and returned on every read of it. Filter a history by it with `metadata[key]=value`.',
  examples: [{ order_id: 'A-17' }],
});

/** Metadata as every read returns it: {} when the write had none. */
export const restMetadata = z.record(z.string(), z.string()).meta({
  description: 'The metadata the write carried ({} when none)',
});

/** A history's metadata filter: entries whose transaction carries every pair given. */
export const historyMetadataFilterSchema = metadataFilterSchema.meta({
  description:
    'Only the entries whose transaction carries every one of these key/value pairs (REST: `metadata[key]=value`, repeatable with different keys)',
});

// ---------------------------------------------------------------- operations

// ---------------------------------------------------------------- wallet status and metadata

export const walletStatusSchema = z.enum(WALLET_STATUSES, {
  error: fieldError(`must be one of ${WALLET_STATUSES.join(', ')}`),
});

/** A wallet's own metadata (the owner's id in the operator's system, say). */
export const walletMetadataSchema = metadataSchema.meta({
  description:
    "Your own facts about the wallet (the owner's id in your system, say): a flat object of string values, returned on every read of it; find wallets by it with `metadata[key]=value`.",
  examples: [{ customer_id: 'C-1042' }],
});

/** Wallets whose metadata holds every pair given (REST: `metadata[key]=value`). */
export const walletMetadataFilterSchema = metadataFilterSchema.meta({
  description:
    'Only the wallets whose metadata holds every one of these key/value pairs (REST: `metadata[key]=value`, repeatable with different keys)',
});

export const createWalletInput = z.strictObject({
  currency: currencySchema.default(DEFAULT_CURRENCY),
  idempotencyKey: idempotencyKeySchema.optional(),
  metadata: walletMetadataSchema.optional(),
});

const movementFields = {
  amount: amountSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
  description: descriptionSchema.optional(),
  metadata: writeMetadataSchema.optional(),
};

export const fundWalletInput = z.strictObject({
  walletId: walletIdSchema,
  ...movementFields,
});

export const transferFundsInput = z.strictObject({
  senderWalletId: walletIdSchema,
  receiverWalletId: walletIdSchema,
  ...movementFields,
});

/** A withdrawal (payout): money leaves the wallet to the outside world. */
export const withdrawFundsInput = z.strictObject({
  walletId: walletIdSchema,
  ...movementFields,
});

export const getWalletInput = z.strictObject({ walletId: walletIdSchema });

/** A FUND entry's id, a transfer's id, or the id of either leg of a transfer. */
export const transactionIdSchema = z.uuid({ error: fieldError('must be a UUID') });

export const getTransactionInput = z.strictObject({ transactionId: transactionIdSchema });

export const listWalletsInput = z
  .strictObject({
    cursor: cursorSchema.optional(),
    limit: pageLimitSchema,
    /** Only the wallets of this currency (a transfer's receivers must share the sender's). */
    currency: currencySchema.optional(),
    /** Only the wallets of this status. */
    status: walletStatusSchema.optional(),
    /** Only the wallets whose metadata holds every pair. */
    metadata: walletMetadataFilterSchema.optional(),
  })
  .prefault({}); // no input at all is the first page

/** A page of a wallet's history, newest first, filtered by type, period and counterparty. */
const historyFilters = {
  cursor: cursorSchema.optional(),
  limit: pageLimitSchema,
  type: entryTypeSchema.optional(),
  ...periodFields,
  /** Only the transfers to or from this wallet. */
  counterpartyWalletId: walletIdSchema.optional(),
  /** Only the entries whose transaction's metadata holds every pair. */
  metadata: historyMetadataFilterSchema.optional(),
};

export const listTransactionsInput = z
  .strictObject({ walletId: walletIdSchema, ...historyFilters })
  .refine(fromBeforeTo, FROM_BEFORE_TO);

/** A wallet's balance as it was at a moment: every entry stamped at or before it counted. */
export const getBalanceAsOfInput = z.strictObject({
  walletId: walletIdSchema,
  asOf: timestampSchema,
});

/**
 * A wallet's balance at `points` evenly spaced instants from `from` to `to` (both
 * included: the first point is the opening balance, the last the closing one).
 */
const balanceSeriesFields = {
  from: timestampSchema,
  to: timestampSchema,
  points: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(BALANCE_SERIES_POINTS_MIN, { error: `must be at least ${BALANCE_SERIES_POINTS_MIN}` })
    .max(BALANCE_SERIES_POINTS_MAX, { error: `must be at most ${BALANCE_SERIES_POINTS_MAX}` })
    .default(BALANCE_SERIES_POINTS_DEFAULT)
    .meta({
      description: `How many evenly spaced instants, from and to included (${BALANCE_SERIES_POINTS_MIN} to ${BALANCE_SERIES_POINTS_MAX}; default ${BALANCE_SERIES_POINTS_DEFAULT})`,
    }),
};

export const balanceSeriesInput = z
  .strictObject({ walletId: walletIdSchema, ...balanceSeriesFields })
  .refine(fromBeforeTo, FROM_BEFORE_TO);
export type BalanceSeriesInput = z.input<typeof balanceSeriesInput>;

/** `GET /wallets/{id}/balance-series`'s query. */
export const restBalanceSeriesQuery = z
  .strictObject(balanceSeriesFields)
  .refine(fromBeforeTo, FROM_BEFORE_TO);

// ---------------------------------------------------------------- holds

export const holdIdSchema = z.uuid({ error: fieldError('must be a UUID') });

export const holdStatusSchema = z.enum(HOLD_STATUSES, {
  error: fieldError(`must be one of ${HOLD_STATUSES.join(', ')}`),
});

/**
 * When a hold releases by itself. Checked against the database's clock when the hold is
 * placed: in the future, and at most HOLD_EXPIRY_DAYS_MAX days ahead.
 */
export const holdExpiresAtSchema = z.iso
  .datetime({ offset: true, error: fieldError('must be an ISO 8601 date-time') })
  .meta({
    description: `When the hold releases by itself if not captured or voided: an ISO 8601 date-time in the future, at most ${HOLD_EXPIRY_DAYS_MAX} days ahead (by the server's clock)`,
    examples: ['2026-12-31T23:59:59Z'],
  });

/** Reserve an amount of a wallet, optionally for a receiver wallet of the same currency. */
export const placeHoldInput = z.strictObject({
  walletId: walletIdSchema,
  amount: amountSchema,
  receiverWalletId: walletIdSchema.optional(),
  expiresAt: holdExpiresAtSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
  description: descriptionSchema.optional(),
  /** Stored with the hold (a capture's transaction carries the capture's own). */
  metadata: writeMetadataSchema.optional(),
});

/** Move all of a hold (no amount) or part of it (the rest is released), once. */
export const captureHoldInput = z.strictObject({
  holdId: holdIdSchema,
  amount: amountSchema.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
  /** Stored with the capture's transaction. */
  metadata: writeMetadataSchema.optional(),
});

export const voidHoldInput = z.strictObject({
  holdId: holdIdSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

export const getHoldInput = z.strictObject({ holdId: holdIdSchema });

/** A wallet's holds (those it pays), newest first. */
export const listHoldsInput = z.strictObject({
  walletId: walletIdSchema,
  status: holdStatusSchema.optional(),
  cursor: cursorSchema.optional(),
  limit: pageLimitSchema,
});

export type PlaceHoldInput = z.input<typeof placeHoldInput>;
export type CaptureHoldInput = z.input<typeof captureHoldInput>;
export type VoidHoldInput = z.input<typeof voidHoldInput>;
export type GetHoldInput = z.input<typeof getHoldInput>;
export type ListHoldsInput = z.input<typeof listHoldsInput>;
/**
 * A statement: the entries of a period, oldest first, between its opening and closing
 * balances, read page by page (the CSV export streams them).
 */
export const walletStatementInput = z
  .strictObject({
    walletId: walletIdSchema,
    ...periodFields,
    cursor: cursorSchema.optional(),
    limit: z.coerce
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(STATEMENT_PAGE_SIZE_MAX, { error: `must be at most ${STATEMENT_PAGE_SIZE_MAX}` })
      .default(STATEMENT_PAGE_SIZE_MAX),
  })
  .refine(fromBeforeTo, FROM_BEFORE_TO);

export type CreateWalletInput = z.input<typeof createWalletInput>;
export type FundWalletInput = z.input<typeof fundWalletInput>;
export type TransferFundsInput = z.input<typeof transferFundsInput>;
export type WithdrawFundsInput = z.input<typeof withdrawFundsInput>;
export type GetWalletInput = z.input<typeof getWalletInput>;
export type GetTransactionInput = z.input<typeof getTransactionInput>;
export type ListWalletsInput = z.input<typeof listWalletsInput>;
export type ListTransactionsInput = z.input<typeof listTransactionsInput>;
export type GetBalanceAsOfInput = z.input<typeof getBalanceAsOfInput>;
export type WalletStatementInput = z.input<typeof walletStatementInput>;

// ---------------------------------------------------------------- REST wire shapes

/** `POST /wallets/fund` names the wallet `wallet_id`, as the documentation shows. */
export const restFundWalletBody = z.strictObject({
  wallet_id: walletIdSchema,
  ...movementFields,
});

/** `POST /wallets/withdraw` names the wallet `wallet_id`, as `POST /wallets/fund` does. */
export const restWithdrawFundsBody = restFundWalletBody;

export const restWalletParams = z.strictObject({ id: walletIdSchema });

export const restTransactionParams = z.strictObject({ id: transactionIdSchema });

/** The HTTP header a REST write may carry its idempotency key in (Stripe's, the IETF draft's). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The headers of a REST write: `Idempotency-Key`, the same key as the body's
 * `idempotencyKey` (give either, or both equal). Every other header passes through.
 */
export const restWriteHeaders = z.looseObject({
  [IDEMPOTENCY_KEY_HEADER]: idempotencyKeySchema.optional().meta({
    description:
      "The request's idempotency key, as the body's `idempotencyKey` (either, or both equal; different: 422). A retry with the same key and body gets 409 naming what the first request did.",
  }),
});

export const restListWalletsQuery = listWalletsInput;

export const restListTransactionsQuery = z
  .strictObject(historyFilters)
  .refine(fromBeforeTo, FROM_BEFORE_TO);

export const restStatementQuery = z.strictObject(periodFields).refine(fromBeforeTo, FROM_BEFORE_TO);

const moneyNumber = z.number().meta({
  description: 'Major units as a JSON number with the exact decimal value (100.5 is 100.50).',
});

export const restWallet = z.object({
  id: z.uuid(),
  currency: currencySchema,
  balance: moneyNumber,
  status: walletStatusSchema.meta({
    description:
      'ACTIVE: every movement. FROZEN: money may come in, none may go out. CLOSED: no movement, for good',
  }),
  metadata: z
    .record(z.string(), z.string())
    .meta({ description: "The wallet's own metadata ({} when none)" }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const restTransaction = z.object({
  id: z.uuid(),
  walletId: z.uuid(),
  type: entryTypeSchema,
  amount: moneyNumber,
  balanceBefore: moneyNumber,
  balanceAfter: moneyNumber,
  status: z.enum(ENTRY_STATUSES),
  description: z.string().nullable(),
  counterpartyWalletId: z.uuid().nullable(),
  transferId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  reversesTransactionId: z.uuid().nullable().meta({
    description: 'On an entry of a reversal: the transaction it reverses; null otherwise',
  }),
  reversedAmount: moneyNumber.meta({
    description:
      "What is reversed of this entry's transaction so far (0: not reversed; its amount: fully reversed)",
  }),
  metadata: restMetadata,
});

export const restWalletWithTransactions = restWallet.extend({
  transactions: z.array(restTransaction),
});

const transactionIdOut = z.uuid().meta({
  description: 'The transaction this request made: `GET /transactions/{id}` reads it',
});

/** The funded wallet, as documented, and the id of the FUND transaction (an addition). */
export const restFundResult = restWallet.extend({ transactionId: transactionIdOut });

/** The wallet after the withdrawal, and the id of the WITHDRAWAL transaction. */
export const restWithdrawResult = restFundResult;

/** Both wallets, as documented, and the transfer's id (an addition; each leg's `transferId`). */
export const restTransferResult = z.object({
  sender: restWallet,
  receiver: restWallet,
  transactionId: transactionIdOut,
});

/** One transaction: a funding or withdrawal (one leg) or a transfer (its TRANSFER_OUT and TRANSFER_IN legs). */
export const restTransactionDetail = z.object({
  id: z.uuid(),
  type: z.enum(['FUND', 'TRANSFER', 'WITHDRAWAL', 'REVERSAL']),
  currency: currencySchema,
  amount: moneyNumber,
  description: z.string().nullable(),
  metadata: restMetadata,
  createdAt: z.iso.datetime(),
  legs: z.array(restTransaction),
  reversesTransactionId: z.uuid().nullable().meta({
    description: 'A reversal: the transaction it reverses; null for any other transaction',
  }),
  reversal: z
    .enum(['NONE', 'PARTIAL', 'FULL'])
    .meta({ description: 'How much of this transaction is reversed (a reversal: NONE)' }),
  reversedAmount: moneyNumber.meta({ description: 'What is reversed of it so far' }),
  reversals: z
    .array(z.object({ id: z.uuid(), amount: moneyNumber, createdAt: z.iso.datetime() }))
    .meta({ description: 'The reversals of this transaction, oldest first' }),
});

export const restWalletPage = z.object({
  items: z.array(restWallet),
  nextCursor: z.string().nullable(),
});

export const restTransactionPage = z.object({
  items: z.array(restTransaction),
  nextCursor: z.string().nullable(),
});

/** `POST /holds`, in the snake case of the holds resource. */
export const restPlaceHoldBody = z.strictObject({
  wallet_id: walletIdSchema,
  amount: amountSchema,
  receiver_wallet_id: walletIdSchema.optional(),
  expires_at: holdExpiresAtSchema.optional(),
  idempotency_key: idempotencyKeySchema.optional(),
  description: descriptionSchema.optional(),
  metadata: writeMetadataSchema.optional(),
});

export const restCaptureHoldBody = z.strictObject({
  amount: amountSchema.optional(),
  idempotency_key: idempotencyKeySchema.optional(),
  metadata: writeMetadataSchema.optional(),
});

export const restVoidHoldBody = z.strictObject({
  idempotency_key: idempotencyKeySchema.optional(),
});

export const restHoldParams = z.strictObject({ id: holdIdSchema });

const moneyText = z.string().meta({
  description: "Exact decimal text in major units, with all the currency's digits ('100.50')",
});

export const restHold = z.object({
  id: z.uuid(),
  wallet_id: z.uuid(),
  receiver_wallet_id: z.uuid().nullable(),
  currency: currencySchema,
  amount: moneyText,
  captured_amount: moneyText.meta({ description: 'What the capture moved; 0 until captured' }),
  status: holdStatusSchema,
  description: z.string().nullable(),
  metadata: restMetadata.meta({ description: "The metadata of the hold's placement" }),
  expires_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  resolved_at: z.iso.datetime().nullable(),
  capture_transaction_id: z.uuid().nullable().meta({
    description:
      'The transaction the capture made (a transfer to the receiver, or a withdrawal): `GET /transactions/{id}`',
  }),
});

/** A wallet's posted balance, what its pending holds reserve, and what it can spend. */
export const restWalletBalance = z.object({
  wallet_id: z.uuid(),
  currency: currencySchema,
  balance: moneyText,
  held: moneyText,
  available: moneyText.meta({ description: 'balance − held: what a debit may take' }),
});

/**
 * GET /wallets/:id/balance's query. With `as_of`, the balance as of that moment (every
 * entry stamped at or before it counted); held and available are not kept historically,
 * so that answer has neither.
 */
export const restWalletBalanceQuery = z.strictObject({
  as_of: z.iso
    .datetime({
      offset: true,
      error: fieldError('must be an ISO 8601 date-time with its offset, e.g. 2026-12-01T00:00:00Z'),
    })
    .meta({
      description:
        'A moment (ISO 8601 with its offset): answer the balance as of it, without held and available (not known historically)',
      examples: ['2026-12-01T00:00:00Z'],
    })
    .optional(),
});

/** A wallet's balance as of a moment: no held or available (holds are not kept by time). */
export const restWalletBalanceAsOf = z.object({
  wallet_id: z.uuid(),
  currency: currencySchema,
  balance: moneyText,
  as_of: z.iso.datetime().meta({ description: 'The moment asked for' }),
});

/** A wallet's balance at evenly spaced instants of a period, oldest first. */
export const restBalanceSeries = z.object({
  wallet_id: z.uuid(),
  currency: currencySchema,
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  opening_balance: moneyText.meta({ description: 'The balance at `from` (the first point)' }),
  closing_balance: moneyText.meta({ description: 'The balance at `to` (the last point)' }),
  points: z
    .array(z.object({ at: z.iso.datetime(), balance: moneyText }))
    .meta({ description: 'The balance as of each instant: every entry stamped at or before it' }),
});

/**
 * The documented error shape {statusCode, timestamp, path, error, message}, and two fields
 * added for programs: `code`, one of the error catalogue, so a client need not parse the
 * message; and `details`, the facts behind it where there are any.
 */
export const restError = z.object({
  statusCode: z.number().int(),
  timestamp: z.iso.datetime(),
  path: z.string(),
  error: z.string(),
  message: z.string(),
  code: z.enum(ERROR_CODES).meta({
    description: 'What went wrong, for programs: a code of the error catalogue',
  }),
  details: z.record(z.string(), z.unknown()).optional().meta({
    description:
      'The facts behind the error, where there are any: the amounts of an overdraft, the original transaction of a used idempotency key, the fields that failed validation (`issues`)',
  }),
});
export type RestError = z.infer<typeof restError>;

/**
 * The 409 of a write whose idempotency key (the caller's own: keys are per credential)
 * was already used: the documented error shape, and what the key did. Only ever the
 * caller's own transaction or wallet.
 */
export const restKeyConflict = restError.extend({
  original_transaction_id: z.uuid().optional().meta({
    description:
      'When the key made a funding or a transfer: that transaction (`GET /transactions/{id}`)',
  }),
  wallet_id: z.uuid().optional().meta({
    description: 'When the key made a wallet: that wallet (`GET /wallets/{id}`)',
  }),
  hold_id: z.uuid().optional().meta({
    description: 'When the key placed a hold: that hold (`GET /holds/{id}`)',
  }),
  same_request: z.boolean().meta({
    description:
      'true: this request is the one that used the key (a retry; it was applied once, nothing new was done). false: the key was used by a different request',
  }),
});
