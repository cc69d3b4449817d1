import type { Metadata } from '@wallet/contract';
import type { AuditRecord } from '@wallet/db';

import type { IdempotencyClaim } from './idempotency';
import type {
  CaptureHoldResult,
  FundResult,
  PlaceHoldResult,
  ReverseResult,
  TransferResult,
  VoidHoldResult,
  WithdrawResult,
} from './types';

/**
 * A write the ledger has parsed and given its ids, waiting to be applied. Fundings,
 * withdrawals, transfers and reversals share one path (the group committer, then applyWriteBatch),
 * so each is described by data rather than by a function that runs it.
 */
export type WriteRequest =
  | FundRequest
  | WithdrawRequest
  | TransferRequest
  | ReverseRequest
  | PlaceHoldRequest
  | CaptureHoldRequest
  | VoidHoldRequest;

/** A funding or a withdrawal: one client's wallet against its currency's external account. */
export interface OneWalletMovementRequest<Kind extends 'FUND' | 'WITHDRAW'> {
  kind: Kind;
  /** The wallet's entry id, made before the write so an idempotency record can name it. */
  entryId: string;
  walletId: string;
  /** Decimal text, checked against the wallet's currency, balance and limits once it is locked. */
  amount: string;
  description: string | null;
  /** Stored on each of its entries ({}: none). */
  metadata: Metadata;
  idempotency: IdempotencyClaim | null;
  /** Its audit row should it succeed, written in the same transaction; null: not audited. */
  audit: AuditRecord | null;
}

export type FundRequest = OneWalletMovementRequest<'FUND'>;
export type WithdrawRequest = OneWalletMovementRequest<'WITHDRAW'>;

export interface TransferRequest {
  kind: 'TRANSFER';
  transferId: string;
  senderWalletId: string;
  receiverWalletId: string;
  amount: string;
  description: string | null;
  metadata: Metadata;
  idempotency: IdempotencyClaim | null;
  /** Its audit row should it succeed, written in the same transaction; null: not audited. */
  audit: AuditRecord | null;
}

/** Reserve an amount of a wallet (no entry: it raises the wallet's held, not its balance). */
export interface PlaceHoldRequest {
  kind: 'PLACE_HOLD';
  holdId: string;
  walletId: string;
  receiverWalletId: string | null;
  amount: string;
  /** Checked against the transaction's clock: in the future, at most the limit ahead. */
  expiresAt: Date | null;
  description: string | null;
  /** Stored with the hold. */
  metadata: Metadata;
  idempotency: IdempotencyClaim | null;
  audit: AuditRecord | null;
}

/** Move all or part of a pending hold, once; the rest is released. */
export interface CaptureHoldRequest {
  kind: 'CAPTURE_HOLD';
  holdId: string;
  /** The capture's transaction id (the transfer's, or the WITHDRAWAL entry's), made now. */
  transactionId: string;
  /** Decimal text; null: the whole hold. */
  amount: string | null;
  /** Stored on the capture's entries (the hold keeps its placement's). */
  metadata: Metadata;
  idempotency: IdempotencyClaim | null;
  audit: AuditRecord | null;
}

/** Release a pending hold without moving anything. */
export interface VoidHoldRequest {
  kind: 'VOID_HOLD';
  holdId: string;
  idempotency: IdempotencyClaim | null;
  audit: AuditRecord | null;
}

export type HoldRequest = PlaceHoldRequest | CaptureHoldRequest | VoidHoldRequest;

/**
 * The transaction a reversal names, as it was read before the batch: its kind, amount and
 * wallets never change once written, so reading them before the locks is no race.
 */
export interface ReversibleOriginal {
  /** The FUND's or WITHDRAWAL's entry id, or the transfer's id. */
  id: string;
  kind: 'FUND' | 'WITHDRAWAL' | 'TRANSFER';
  amountMinor: bigint;
  /** A funding's or withdrawal's wallet; a transfer's sender. */
  walletId: string;
  /** A transfer's receiver; null for a funding or withdrawal. */
  receiverWalletId: string | null;
}

export interface ReverseRequest {
  kind: 'REVERSE';
  /** The reversal's transaction id, made before the write so an idempotency record can name it. */
  reversalId: string;
  original: ReversibleOriginal;
  /** Decimal text; null: all of the original not yet reversed. */
  amount: string | null;
  description: string | null;
  metadata: Metadata;
  idempotency: IdempotencyClaim | null;
  /** Its audit row should it succeed, written in the same transaction; null: not audited. */
  audit: AuditRecord | null;
}

export type WriteResultOf<Request extends WriteRequest> = Request extends FundRequest
  ? FundResult
  : Request extends WithdrawRequest
    ? WithdrawResult
    : Request extends ReverseRequest
      ? ReverseResult
      : Request extends PlaceHoldRequest
        ? PlaceHoldResult
        : Request extends CaptureHoldRequest
          ? CaptureHoldResult
          : Request extends VoidHoldRequest
            ? VoidHoldResult
            : TransferResult;

export type WriteResult =
  | FundResult
  | WithdrawResult
  | TransferResult
  | ReverseResult
  | PlaceHoldResult
  | CaptureHoldResult
  | VoidHoldResult;

/** Each request of a batch gets its own outcome: one refusal does not fail the others. */
export type WriteOutcome = { ok: true; value: WriteResult } | { ok: false; error: unknown };

/**
 * The wallets a request names (and locks). A capture's and a void's are the hold's: the
 * store locks them by the hold's id (holdIdsOf), so they are not listed here.
 */
export function walletIdsOf(request: WriteRequest): string[] {
  switch (request.kind) {
    case 'TRANSFER':
      return [request.senderWalletId, request.receiverWalletId];
    case 'REVERSE':
      return reversedWalletIdsOf(request.original);
    case 'PLACE_HOLD':
      return request.receiverWalletId === null
        ? [request.walletId]
        : [request.walletId, request.receiverWalletId];
    case 'CAPTURE_HOLD':
    case 'VOID_HOLD':
      return [];
    default:
      return [request.walletId];
  }
}

/** The wallets of the original: the ones its reversal moves money on. */
function reversedWalletIdsOf(original: ReversibleOriginal): string[] {
  return original.receiverWalletId === null
    ? [original.walletId]
    : [original.walletId, original.receiverWalletId];
}

/**
 * The wallets whose currency's external account a request also locks: a funding's and a
 * withdrawal's (money crosses the ledger's edge); a transfer stays inside and locks none,
 * nor do the holds (a capture out locks its account by the hold: holdIdsOf).
 */
export function externalAccountWalletIdsOf(request: WriteRequest): string[] {
  // A funding's or a withdrawal's reversal crosses the edge again; a transfer's does not.
  if (request.kind === 'REVERSE') {
    return request.original.kind === 'TRANSFER' ? [] : [request.original.walletId];
  }
  return request.kind === 'FUND' || request.kind === 'WITHDRAW' ? [request.walletId] : [];
}

/** The originals whose transaction_reversals rows a request locks: a reversal's. */
export function reversedOriginalIdsOf(request: WriteRequest): string[] {
  return request.kind === 'REVERSE' ? [request.original.id] : [];
}

/**
 * The existing holds a request locks (FOR UPDATE, before any wallet) and, through them,
 * whose wallets it locks: a capture's and a void's. A capture also locks the receiver
 * (or, with none, the currency's external account).
 */
export function holdIdsOf(request: WriteRequest): string[] {
  return request.kind === 'CAPTURE_HOLD' || request.kind === 'VOID_HOLD' ? [request.holdId] : [];
}

/**
 * The id an idempotency key records: the movement's entry, the transfer, the reversal, the
 * hold (a placement's and a void's), or the transaction a capture makes.
 */
export function transactionIdOf(request: WriteRequest): string {
  switch (request.kind) {
    case 'TRANSFER':
      return request.transferId;
    case 'REVERSE':
      return request.reversalId;
    case 'PLACE_HOLD':
    case 'VOID_HOLD':
      return request.holdId;
    case 'CAPTURE_HOLD':
      return request.transactionId;
    default:
      return request.entryId;
  }
}
