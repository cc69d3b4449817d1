import type { AuditRecord } from '@wallet/db';

import type { IdempotencyClaim } from './idempotency';
import type { FundResult, ReverseResult, TransferResult, WithdrawResult } from './types';

/**
 * A write the ledger has parsed and given its ids, waiting to be applied. Fundings,
 * withdrawals, transfers and reversals share one path (the group committer, then applyWriteBatch),
 * so each is described by data rather than by a function that runs it.
 */
export type WriteRequest = FundRequest | WithdrawRequest | TransferRequest | ReverseRequest;

/** A funding or a withdrawal: one client's wallet against its currency's external account. */
export interface OneWalletMovementRequest<Kind extends 'FUND' | 'WITHDRAW'> {
  kind: Kind;
  /** The wallet's entry id, made before the write so an idempotency record can name it. */
  entryId: string;
  walletId: string;
  /** Decimal text, checked against the wallet's currency, balance and limits once it is locked. */
  amount: string;
  description: string | null;
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
  idempotency: IdempotencyClaim | null;
  /** Its audit row should it succeed, written in the same transaction; null: not audited. */
  audit: AuditRecord | null;
}

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
      : TransferResult;

export type WriteResult = FundResult | WithdrawResult | TransferResult | ReverseResult;

/** Each request of a batch gets its own outcome: one refusal does not fail the others. */
export type WriteOutcome = { ok: true; value: WriteResult } | { ok: false; error: unknown };

/** The wallets a request names (and locks). */
export function walletIdsOf(request: WriteRequest): string[] {
  if (request.kind === 'REVERSE') return reversedWalletIdsOf(request.original);
  return request.kind === 'TRANSFER'
    ? [request.senderWalletId, request.receiverWalletId]
    : [request.walletId];
}

/** The wallets of the original: the ones its reversal moves money on. */
function reversedWalletIdsOf(original: ReversibleOriginal): string[] {
  return original.receiverWalletId === null
    ? [original.walletId]
    : [original.walletId, original.receiverWalletId];
}

/**
 * The wallets whose currency's external account a request also locks: a funding's and a
 * withdrawal's (money crosses the ledger's edge); a transfer stays inside and locks none.
 */
export function externalAccountWalletIdsOf(request: WriteRequest): string[] {
  // A funding's or a withdrawal's reversal crosses the edge again; a transfer's does not.
  if (request.kind === 'REVERSE') {
    return request.original.kind === 'TRANSFER' ? [] : [request.original.walletId];
  }
  return request.kind === 'TRANSFER' ? [] : [request.walletId];
}

/** The originals whose transaction_reversals rows a request locks: a reversal's. */
export function reversedOriginalIdsOf(request: WriteRequest): string[] {
  return request.kind === 'REVERSE' ? [request.original.id] : [];
}

/** The id an idempotency key records: the movement's entry, or the transfer. */
export function transactionIdOf(request: WriteRequest): string {
  if (request.kind === 'REVERSE') return request.reversalId;
  return request.kind === 'TRANSFER' ? request.transferId : request.entryId;
}
