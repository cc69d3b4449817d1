export type {
  BalanceSeriesInput,
  CaptureHoldInput,
  GetHoldInput,
  ListHoldsInput,
  PlaceHoldInput,
  VoidHoldInput,
  CreateWalletInput,
  FundWalletInput,
  GetBalanceAsOfInput,
  GetTransactionInput,
  GetWalletInput,
  ListTransactionsInput,
  ListWalletsInput,
  ReverseTransactionInput,
  TransferFundsInput,
  UpdateWalletInput,
  WalletStatementInput,
  WithdrawFundsInput,
} from '@wallet/contract';
export * from './errors';
export * from './types';
export { externalAccountIdOf } from './external-accounts';
export { createLedger, REPLICA_WAIT_MS_DEFAULT, type Ledger, type LedgerOptions } from './ledger';
export type { BatchReport, LedgerObserver, ReadRoute } from './observer';
export { GROUP_COMMIT_DEFAULTS, type GroupCommitOptions } from './group-commit';
export type { CurrencyTotals, VerificationReport, Violation, ViolationKind } from './verify';
export type { IdempotencyExpiryOptions } from './idempotency-retention';
export type { HoldExpiryOptions } from './hold-expiry';
export type { BalanceAsOf, WalletStatementPage } from './statement';
export type { BalancePoint, BalanceSeries } from './balance-series';
export { isUnavailable } from './pg-errors';
