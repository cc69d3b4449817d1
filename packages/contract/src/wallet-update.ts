import { z } from 'zod';

import { walletIdSchema, walletMetadataSchema, walletStatusSchema } from './schemas';

/**
 * A wallet's change by an operator: its status, its metadata, or both, in one transaction
 * on its locked row. PATCH semantics are "replace": the metadata given becomes the
 * wallet's whole metadata (`{}` clears it); a status equal to the current one changes
 * nothing. Naturally idempotent, so it takes no idempotency key.
 */
const updateWalletFields = {
  status: walletStatusSchema.optional().meta({
    description:
      'The new status. ACTIVE and FROZEN change into each other; either may become CLOSED (only with a zero balance and no pending hold); CLOSED is final',
  }),
  metadata: walletMetadataSchema.optional().meta({
    description: "Replaces the wallet's whole metadata (keys left out are removed; `{}` clears it)",
  }),
};

const SOMETHING_TO_CHANGE = {
  error: 'must name a status or metadata to change',
  path: ['status'],
};

function changesSomething(input: { status?: unknown; metadata?: unknown }): boolean {
  return input.status !== undefined || input.metadata !== undefined;
}

export const updateWalletInput = z
  .strictObject({ walletId: walletIdSchema, ...updateWalletFields })
  .refine(changesSomething, SOMETHING_TO_CHANGE);
export type UpdateWalletInput = z.input<typeof updateWalletInput>;

/** `PATCH /wallets/{id}`'s body. */
export const restUpdateWalletBody = z
  .strictObject(updateWalletFields)
  .refine(changesSomething, SOMETHING_TO_CHANGE);
