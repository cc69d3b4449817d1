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
export { createLedger, type Ledger } from './ledger';
export type { CurrencyTotals, VerificationReport, Violation, ViolationKind } from './verify';
