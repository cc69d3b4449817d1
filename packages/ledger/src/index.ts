export type {
  CreateWalletInput,
  FundWalletInput,
  GetWalletInput,
  ListTransactionsInput,
  ListWalletsInput,
  TransferFundsInput,
} from '@wallet/contract';
export * from './errors';
export * from './types';
export { createLedger, type Ledger, type LedgerOptions } from './ledger';
export { GROUP_COMMIT_DEFAULTS, type GroupCommitOptions } from './group-commit';
export type { CurrencyTotals, VerificationReport, Violation, ViolationKind } from './verify';
