import type { CurrencyCode, LedgerErrorCode } from '@wallet/contract';

/**
 * The one list of domain outcomes a caller can be told about lives in the contract's
 * error catalogue, beside each code's tRPC code, HTTP status and description; a code
 * added there without its row fails the type check.
 */
export { LEDGER_ERROR_CODES, type LedgerErrorCode } from '@wallet/contract';

/** Facts behind an error that a program may act on; amounts are decimal text. */
export type LedgerErrorDetails = Readonly<Record<string, string | boolean>>;

/** An outcome the caller caused or can act on. Anything else thrown by the ledger is a bug. */
export abstract class LedgerError extends Error {
  abstract readonly code: LedgerErrorCode;

  constructor(
    message: string,
    readonly details: LedgerErrorDetails = {},
  ) {
    super(message);
  }
}

export class InvalidInputError extends LedgerError {
  readonly code = 'INVALID_INPUT';
  override readonly name = 'InvalidInputError';
}

export class WalletNotFoundError extends LedgerError {
  readonly code = 'WALLET_NOT_FOUND';
  override readonly name = 'WalletNotFoundError';
  constructor(readonly walletId: string) {
    super(`Wallet ${walletId} not found`, { walletId });
  }
}

export class TransactionNotFoundError extends LedgerError {
  readonly code = 'TRANSACTION_NOT_FOUND';
  override readonly name = 'TransactionNotFoundError';
  constructor(readonly transactionId: string) {
    super(`Transaction ${transactionId} not found`, { transactionId });
  }
}

export class InsufficientFundsError extends LedgerError {
  readonly code = 'INSUFFICIENT_FUNDS';
  override readonly name = 'InsufficientFundsError';
  constructor(
    readonly walletId: string,
    available: string,
    requested: string,
    currency: CurrencyCode,
  ) {
    super(
      `Insufficient balance: wallet ${walletId} has ${available} ${currency} available, the movement needs ${requested} ${currency}`,
      { walletId, available, requested, currency },
    );
  }
}

export class SameWalletTransferError extends LedgerError {
  readonly code = 'SAME_WALLET_TRANSFER';
  override readonly name = 'SameWalletTransferError';
  constructor() {
    super('Sender and receiver must be different wallets');
  }
}

export class CurrencyMismatchError extends LedgerError {
  readonly code = 'CURRENCY_MISMATCH';
  override readonly name = 'CurrencyMismatchError';
  constructor(senderCurrency: CurrencyCode, receiverCurrency: CurrencyCode) {
    super(
      `Cannot transfer between wallets of different currencies (${senderCurrency} to ${receiverCurrency})`,
      { senderCurrency, receiverCurrency },
    );
  }
}

/**
 * A credit past a limit: of the wallet's balance, or (`scope: 'currency'`, a funding) of
 * the money the ledger holds in all wallets of the currency together.
 */
export class BalanceLimitExceededError extends LedgerError {
  readonly code = 'BALANCE_LIMIT_EXCEEDED';
  override readonly name = 'BalanceLimitExceededError';
  constructor(
    readonly walletId: string,
    limit: string,
    currency: CurrencyCode,
    scope: 'wallet' | 'currency' = 'wallet',
  ) {
    super(
      scope === 'wallet'
        ? `Wallet ${walletId} cannot hold more than ${limit} ${currency}`
        : `The ledger cannot hold more than ${limit} ${currency} in all its wallets together`,
      { walletId, limit, currency, scope },
    );
  }
}

/** The words of a used key's 409, whatever the key produced (`transaction …`, `wallet …`). */
function keyUsedMessage(key: string, produced: string, sameRequest: boolean): string {
  return sameRequest
    ? `Idempotency key '${key}' was already used: this request was applied as ${produced}`
    : `Idempotency key '${key}' was already used by a different request (${produced})`;
}

export class DuplicateIdempotencyKeyError extends LedgerError {
  readonly code = 'DUPLICATE_IDEMPOTENCY_KEY';
  override readonly name = 'DuplicateIdempotencyKeyError';
  constructor(
    readonly idempotencyKey: string,
    /** The FUND entry or the transfer that the key already produced. */
    readonly originalTransactionId: string,
    /** True when the earlier request was the same as this one (a retry). */
    readonly sameRequest: boolean,
  ) {
    super(keyUsedMessage(idempotencyKey, `transaction ${originalTransactionId}`, sameRequest), {
      idempotencyKey,
      originalTransactionId,
      sameRequest,
    });
  }
}

/** A wallet's creation whose idempotency key (of the same owner) was already used. */
export class DuplicateWalletKeyError extends LedgerError {
  readonly code = 'DUPLICATE_IDEMPOTENCY_KEY';
  override readonly name = 'DuplicateWalletKeyError';
  constructor(
    readonly idempotencyKey: string,
    /** The wallet the key created. */
    readonly walletId: string,
    /** True when the earlier request was the same as this one (a retry). */
    readonly sameRequest: boolean,
  ) {
    super(keyUsedMessage(idempotencyKey, `wallet ${walletId}`, sameRequest), {
      idempotencyKey,
      walletId,
      sameRequest,
    });
  }
}

/** Lock wait or deadlock retries ran out: nothing was written, and a retry may succeed. */
export class LedgerBusyError extends LedgerError {
  readonly code = 'LEDGER_BUSY';
  override readonly name = 'LedgerBusyError';
  constructor() {
    super('The ledger is busy; nothing was written. Retry with the same idempotency key.');
  }
}

/**
 * The database cannot be reached (restarting, say). Unlike LedgerBusyError the outcome of
 * a write in flight may be unknown — its commit may have landed before the connection
 * dropped — so the message says how to find out, instead of promising nothing happened.
 */
export class LedgerUnavailableError extends LedgerError {
  readonly code = 'LEDGER_UNAVAILABLE';
  override readonly name = 'LedgerUnavailableError';
  constructor() {
    super(
      'The ledger database is unavailable. Retry a write with the same idempotency key: a 409 then means it had been applied.',
    );
  }
}

export class HoldNotFoundError extends LedgerError {
  readonly code = 'HOLD_NOT_FOUND';
  override readonly name = 'HoldNotFoundError';
  constructor(readonly holdId: string) {
    super(`Hold ${holdId} not found`, { holdId });
  }
}

/** A capture or void of a hold already captured, voided or expired: a hold resolves once. */
export class HoldNotPendingError extends LedgerError {
  readonly code = 'HOLD_NOT_PENDING';
  override readonly name = 'HoldNotPendingError';
  constructor(
    readonly holdId: string,
    /** What resolved it; 'unknown' when the database's guard (not the plan) refused. */
    status: string,
  ) {
    super(`Hold ${holdId} is no longer pending (${status}): a hold is resolved once`, {
      holdId,
      status,
    });
  }
}

/** A capture at or after the hold's expiry (by the database's clock). */
export class HoldExpiredError extends LedgerError {
  readonly code = 'HOLD_EXPIRED';
  override readonly name = 'HoldExpiredError';
  constructor(
    readonly holdId: string,
    expiresAt: Date,
  ) {
    const at = expiresAt.toISOString();
    super(`Hold ${holdId} expired at ${at} and can no longer be captured`, {
      holdId,
      expiresAt: at,
    });
  }
}

export class CaptureExceedsHoldError extends LedgerError {
  readonly code = 'CAPTURE_EXCEEDS_HOLD';
  override readonly name = 'CaptureExceedsHoldError';
  constructor(
    readonly holdId: string,
    held: string,
    requested: string,
    currency: CurrencyCode,
  ) {
    super(
      `Hold ${holdId} reserves ${held} ${currency}; a capture of ${requested} ${currency} exceeds it`,
      { holdId, held, requested, currency },
    );
  }
}

/** A hold's placement or void whose idempotency key (of the same owner) was already used. */
export class DuplicateHoldKeyError extends LedgerError {
  readonly code = 'DUPLICATE_IDEMPOTENCY_KEY';
  override readonly name = 'DuplicateHoldKeyError';
  constructor(
    readonly idempotencyKey: string,
    /** The hold the key placed or voided. */
    readonly holdId: string,
    /** True when the earlier request was the same as this one (a retry). */
    readonly sameRequest: boolean,
  ) {
    super(keyUsedMessage(idempotencyKey, `hold ${holdId}`, sameRequest), {
      idempotencyKey,
      holdId,
      sameRequest,
    });
  }
}

/** The transaction is a reversal: what it put back stays put back (reverse the original again). */
export class TransactionNotReversibleError extends LedgerError {
  readonly code = 'TRANSACTION_NOT_REVERSIBLE';
  override readonly name = 'TransactionNotReversibleError';
  constructor(readonly transactionId: string) {
    super(`Transaction ${transactionId} is a reversal, which cannot be reversed`, {
      transactionId,
    });
  }
}

/** A reversal larger than what is left of its original to reverse; amounts are decimal text. */
export class ReversalExceedsOriginalError extends LedgerError {
  readonly code = 'REVERSAL_EXCEEDS_ORIGINAL';
  override readonly name = 'ReversalExceedsOriginalError';
  constructor(
    readonly transactionId: string,
    original: string,
    remaining: string,
    requested: string,
    currency: CurrencyCode,
  ) {
    super(
      `Transaction ${transactionId} of ${original} ${currency} has ${remaining} ${currency} left to reverse, the reversal asks for ${requested} ${currency}`,
      { transactionId, original, remaining, requested, currency },
    );
  }
}

/** A movement that would take money out of a frozen wallet (money may still come in). */
export class WalletFrozenError extends LedgerError {
  readonly code = 'WALLET_FROZEN';
  override readonly name = 'WalletFrozenError';
  constructor(readonly walletId: string) {
    super(`Wallet ${walletId} is frozen: no money may leave it until it is active again`, {
      walletId,
    });
  }
}

/** A movement into or out of a closed wallet: a closed wallet moves nothing, for good. */
export class WalletClosedError extends LedgerError {
  readonly code = 'WALLET_CLOSED';
  override readonly name = 'WalletClosedError';
  constructor(readonly walletId: string) {
    super(`Wallet ${walletId} is closed: no money moves in or out of it`, { walletId });
  }
}

/** A close of a wallet that still holds money. */
export class WalletNotEmptyError extends LedgerError {
  readonly code = 'WALLET_NOT_EMPTY';
  override readonly name = 'WalletNotEmptyError';
  constructor(
    readonly walletId: string,
    balance: string,
    currency: CurrencyCode,
  ) {
    super(`Wallet ${walletId} holds ${balance} ${currency}: only an empty wallet may close`, {
      walletId,
      balance,
      currency,
    });
  }
}

/** A close of a wallet whose pending holds still reserve money. */
export class WalletHasPendingHoldsError extends LedgerError {
  readonly code = 'WALLET_HAS_PENDING_HOLDS';
  override readonly name = 'WalletHasPendingHoldsError';
  constructor(
    readonly walletId: string,
    held: string,
    currency: CurrencyCode,
  ) {
    super(
      `Wallet ${walletId} has pending holds reserving ${held} ${currency}: capture or void them before closing it`,
      { walletId, held, currency },
    );
  }
}

/** A status change the rules do not allow (out of CLOSED). */
export class WalletStatusTransitionInvalidError extends LedgerError {
  readonly code = 'WALLET_STATUS_TRANSITION_INVALID';
  override readonly name = 'WalletStatusTransitionInvalidError';
  constructor(
    readonly walletId: string,
    from: string,
    to: string,
  ) {
    super(`Wallet ${walletId} is ${from} and cannot become ${to}: a closed wallet stays closed`, {
      walletId,
      from,
      to,
    });
  }
}
