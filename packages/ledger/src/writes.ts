import type { AuditRecord } from '@wallet/db';

import type { IdempotencyClaim } from './idempotency';
import type { FundResult, TransferResult } from './types';

/**
 * A write the ledger has parsed and given its ids, waiting to be applied. Fundings and
 * transfers share one path (the group committer, then applyWriteBatch), so both are
 * described by data rather than by a function that runs them.
 */
export type WriteRequest = FundRequest | TransferRequest;

export interface FundRequest {
  kind: 'FUND';
  /** The FUND entry's id, made before the write so an idempotency record can name it. */
  entryId: string;
  walletId: string;
  /** Decimal text, checked against the wallet's currency once the wallet is locked. */
  amount: string;
  description: string | null;
  idempotency: IdempotencyClaim | null;
  /** Its audit row should it succeed, written in the same transaction; null: not audited. */
  audit: AuditRecord | null;
}

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
  : TransferResult;

export type WriteResult = FundResult | TransferResult;

/** Each request of a batch gets its own outcome: one refusal does not fail the others. */
export type WriteOutcome = { ok: true; value: WriteResult } | { ok: false; error: unknown };

/** The wallets a request locks. */
export function walletIdsOf(request: WriteRequest): string[] {
  return request.kind === 'FUND'
    ? [request.walletId]
    : [request.senderWalletId, request.receiverWalletId];
}
