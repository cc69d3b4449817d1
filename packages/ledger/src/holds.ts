import {
  captureHoldInput,
  placeHoldInput,
  voidHoldInput,
  type CaptureHoldInput,
  type PlaceHoldInput,
  type VoidHoldInput,
} from '@wallet/contract';
import type { WriteContext } from '@wallet/db';

import { auditOfWrite } from './audit';
import { SameWalletTransferError } from './errors';
import { idempotencyClaim, metadataFields } from './idempotency';
import { newId } from './ids';
import { parseInput } from './input';
import type { CaptureHoldRequest, PlaceHoldRequest, VoidHoldRequest } from './writes';

/**
 * A hold's placement, capture and void, parsed and given their ids (the hold's, the
 * capture's transaction) here; the group committer applies them in batches like any
 * movement (apply-batch.ts, movements/place-hold.ts, capture-hold.ts, void-hold.ts),
 * with the hold and its wallets locked from the check until the commit.
 */

export function preparePlaceHold(input: PlaceHoldInput, context?: WriteContext): PlaceHoldRequest {
  const request = parseInput(placeHoldInput, input);
  // UUIDs are case-insensitive on the wire; rows and lock maps use PostgreSQL's lower case.
  const walletId = request.walletId.toLowerCase();
  const receiverWalletId = request.receiverWalletId?.toLowerCase() ?? null;
  if (receiverWalletId === walletId) throw new SameWalletTransferError();
  // Whole milliseconds, as the placement's check against the clock reads it (place-hold.ts).
  const expiresAt = request.expiresAt === undefined ? null : new Date(request.expiresAt);
  const description = request.description ?? null;
  const metadata = request.metadata ?? {};
  const holdId = newId();
  return {
    kind: 'PLACE_HOLD',
    holdId,
    walletId,
    receiverWalletId,
    amount: request.amount,
    expiresAt,
    description,
    metadata,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'PLACE_HOLD', [
      walletId,
      receiverWalletId,
      request.amount,
      expiresAt?.toISOString() ?? null,
      description,
      ...metadataFields(metadata),
    ]),
    audit: context
      ? auditOfWrite(context, 'holds.place', walletId, {
          holdId,
          amount: request.amount,
          receiverWalletId,
          expiresAt: expiresAt?.toISOString() ?? null,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}

export function prepareCaptureHold(
  input: CaptureHoldInput,
  context?: WriteContext,
): CaptureHoldRequest {
  const request = parseInput(captureHoldInput, input);
  const holdId = request.holdId.toLowerCase();
  const amount = request.amount ?? null;
  const metadata = request.metadata ?? {};
  const transactionId = newId();
  return {
    kind: 'CAPTURE_HOLD',
    holdId,
    transactionId,
    amount,
    metadata,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'CAPTURE_HOLD', [
      holdId,
      amount,
      ...metadataFields(metadata),
    ]),
    audit: context
      ? auditOfWrite(context, 'holds.capture', holdId, {
          transactionId,
          amount,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}

export function prepareVoidHold(input: VoidHoldInput, context?: WriteContext): VoidHoldRequest {
  const request = parseInput(voidHoldInput, input);
  const holdId = request.holdId.toLowerCase();
  return {
    kind: 'VOID_HOLD',
    holdId,
    idempotency: idempotencyClaim(request.idempotencyKey, context, 'VOID_HOLD', [holdId]),
    audit: context
      ? auditOfWrite(context, 'holds.void', holdId, {
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}
