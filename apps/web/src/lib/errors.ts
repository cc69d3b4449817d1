import { TRPCClientError } from '@trpc/client';
import type { LedgerErrorCode } from '@wallet/contract';

/**
 * What went wrong, in an operator's words. The API tags every domain outcome with
 * `data.ledgerCode`; the message it sends is for logs and developers (it names UUIDs and
 * idempotency keys), so the words here are keyed on the code instead.
 */

/** The ledger's error codes, from the contract's one catalogue: a new code fails WORDS below. */
export type LedgerCode = LedgerErrorCode;

export type Operation =
  | 'create'
  | 'fund'
  | 'transfer'
  | 'withdraw'
  | 'reverse'
  | 'hold'
  | 'capture'
  | 'void'
  | 'update'
  | 'load';

export interface ProblemReport {
  /** A sentence for the operator. */
  message: string;
  /** The API's own detail, shown smaller (it can help support). */
  detail?: string;
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  ledgerCode?: LedgerCode | null;
}

export function ledgerCodeOf(error: unknown): LedgerCode | null {
  return dataOf(error)?.ledgerCode ?? null;
}

function dataOf(error: unknown): ErrorData | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error.data ?? undefined) as ErrorData | undefined;
}

const WORDS: Record<LedgerCode, (operation: Operation) => ProblemReport> = {
  INVALID_INPUT: () => ({ message: 'The service refused the values entered.' }),
  WALLET_NOT_FOUND: (operation) =>
    operation === 'transfer'
      ? { message: 'No wallet has this receiver id. Check the id and try again.' }
      : { message: 'This wallet does not exist (any more). Check the id.' },
  TRANSACTION_NOT_FOUND: () => ({ message: 'No funding, withdrawal or transfer has this id.' }),
  INSUFFICIENT_FUNDS: (operation) => ({
    message:
      operation === 'reverse'
        ? 'The money is no longer there: the wallet it would come back from holds less than this amount. Nothing was moved.'
        : 'Insufficient funds: the balance does not cover this amount. Nothing was moved.',
  }),
  SAME_WALLET_TRANSFER: () => ({
    message: 'A wallet cannot send money to itself. Choose another receiver.',
  }),
  CURRENCY_MISMATCH: () => ({
    message:
      'The receiver holds a different currency. Transfers only move money between wallets of the same currency.',
  }),
  BALANCE_LIMIT_EXCEEDED: (operation) => ({
    message:
      operation === 'transfer'
        ? "This would take the receiver's balance past the largest balance a wallet may hold."
        : "This would take the wallet's balance past the largest balance a wallet may hold.",
  }),
  DUPLICATE_IDEMPOTENCY_KEY: () => ({
    message:
      'This submission was already recorded on an earlier attempt; it was not applied twice.',
  }),
  LEDGER_UNAVAILABLE: () => ({
    message:
      'The ledger database is unavailable, so it is not known whether this went through. Submit again once it is back: the retry cannot pay twice, and says so if the first attempt was applied.',
  }),
  LEDGER_BUSY: () => ({
    message:
      'The ledger is busy and nothing was written. Submit again: the retry is safe, it cannot pay twice.',
  }),
  TRANSACTION_NOT_REVERSIBLE: () => ({
    message: 'This is itself a reversal, which cannot be reversed.',
  }),
  REVERSAL_EXCEEDS_ORIGINAL: () => ({
    message:
      'This is more than is left to reverse of the transaction. Nothing was moved; enter a smaller amount.',
  }),
  HOLD_NOT_FOUND: () => ({ message: 'This hold does not exist (any more).' }),
  HOLD_NOT_PENDING: () => ({
    message: 'This hold was already captured, voided or expired: a hold is resolved once.',
  }),
  HOLD_EXPIRED: () => ({
    message: 'This hold has expired and can no longer be captured; its amount is released.',
  }),
  CAPTURE_EXCEEDS_HOLD: () => ({
    message: 'A capture cannot take more than the hold reserved. Nothing was moved.',
  }),
  WALLET_FROZEN: () => ({
    message: 'This wallet is frozen: no money may leave it until it is made active again.',
  }),
  WALLET_CLOSED: () => ({ message: 'This wallet is closed: no money moves in or out of it.' }),
  WALLET_NOT_EMPTY: () => ({
    message: 'Only an empty wallet can be closed: move its money out first.',
  }),
  WALLET_HAS_PENDING_HOLDS: () => ({
    message: 'This wallet has pending holds: capture or void them before closing it.',
  }),
  WALLET_STATUS_TRANSITION_INVALID: () => ({
    message: 'A closed wallet stays closed.',
  }),
};

export function describeProblem(error: unknown, operation: Operation): ProblemReport {
  const data = dataOf(error);
  const apiMessage = error instanceof Error ? error.message : undefined;
  if (data?.ledgerCode) {
    const report = WORDS[data.ledgerCode](operation);
    return data.ledgerCode === 'INVALID_INPUT' && apiMessage
      ? { ...report, detail: apiMessage }
      : report;
  }
  if (data?.httpStatus !== undefined && data.httpStatus >= 500) {
    return {
      message:
        'The wallet service failed. Nothing is known to have changed; submitting again is safe.',
    };
  }
  if (data?.httpStatus !== undefined) {
    return { message: 'The wallet service refused this request.', detail: apiMessage };
  }
  return {
    message:
      operation === 'load'
        ? 'The wallet service could not be reached.'
        : 'The wallet service could not be reached. Submitting again is safe: it cannot pay twice.',
  };
}
