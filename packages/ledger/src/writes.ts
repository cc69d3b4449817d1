import type { AuditRecord } from '@wallet/db';

import type { IdempotencyClaim } from './idempotency';
import type { FundResult, TransferResult, WithdrawResult } from './types';

/**
 * A write the ledger has parsed and given its ids, waiting to be applied. Fundings,
 * withdrawals and transfers share one path (the group committer, then applyWriteBatch),
 * so each is described by data rather than by a function that runs it.
 */
export type WriteRequest = FundRequest | WithdrawRequest | TransferRequest;

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

export type WriteResultOf<Request extends WriteRequest> = Request extends FundRequest
  ? FundResult
  : Request extends WithdrawRequest
    ? WithdrawResult
    : TransferResult;

export type WriteResult = FundResult | WithdrawResult | TransferResult;

/** Each request of a batch gets its own outcome: one refusal does not fail the others. */
export type WriteOutcome = { ok: true; value: WriteResult } | { ok: false; error: unknown };

/** The wallets a request names (and locks). */
export function walletIdsOf(request: WriteRequest): string[] {
  return request.kind === 'TRANSFER'
    ? [request.senderWalletId, request.receiverWalletId]
    : [request.walletId];
}

/**
 * The wallets whose currency's external account a request also locks: a funding's and a
 * withdrawal's (money crosses the ledger's edge); a transfer stays inside and locks none.
 */
export function externalAccountWalletIdsOf(request: WriteRequest): string[] {
  return request.kind === 'TRANSFER' ? [] : [request.walletId];
}

/** The id an idempotency key records: the movement's entry, or the transfer. */
export function transactionIdOf(request: WriteRequest): string {
  return request.kind === 'TRANSFER' ? request.transferId : request.entryId;
}
