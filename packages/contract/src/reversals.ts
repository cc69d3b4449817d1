import { z } from 'zod';

import {
  amountSchema,
  currencySchema,
  descriptionSchema,
  idempotencyKeySchema,
  transactionIdSchema,
  writeMetadataSchema,
} from './schemas';

/**
 * A reversal puts a completed funding, withdrawal or transfer back, all of it or a part:
 * new entries in the opposite direction, linked to the original. Several partial
 * reversals may follow one another; together they never exceed the original's amount.
 */

const reversalFields = {
  /** Absent: all that is not yet reversed. */
  amount: amountSchema.optional().meta({
    description:
      "The part to reverse, in major units; absent: all of the original that is not reversed yet. Several partial reversals together never exceed the original's amount.",
  }),
  idempotencyKey: idempotencyKeySchema.optional(),
  description: descriptionSchema.optional(),
  metadata: writeMetadataSchema.optional(),
};

/** The transaction to reverse: a funding's, a withdrawal's or a transfer's id (or a leg's). */
export const reverseTransactionInput = z.strictObject({
  transactionId: transactionIdSchema,
  ...reversalFields,
});
export type ReverseTransactionInput = z.input<typeof reverseTransactionInput>;

/** `POST /transactions/{id}/reverse`: the original is the path's id; the body may be empty. */
export const restReverseTransactionBody = z.strictObject(reversalFields);

const money = z.number().meta({
  description: 'Major units as a JSON number with the exact decimal value (100.5 is 100.50).',
});

/** What a reversal did, and where the original stands now. */
export const restReversalResult = z.object({
  transactionId: z.uuid().meta({
    description: 'The reversal this request made: `GET /transactions/{id}` reads it',
  }),
  originalTransactionId: z.uuid().meta({ description: 'The transaction it reverses' }),
  amount: money.describe('What this reversal moved back'),
  reversedAmount: money.describe('What is reversed of the original now, this reversal included'),
  remainingAmount: money.describe('What is left of the original to reverse'),
  currency: currencySchema,
});
