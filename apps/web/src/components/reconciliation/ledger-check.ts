'use client';

import { trpc, type Violation } from '~/trpc/react';

/**
 * The ledger check (`ledger.verify`) as a query that runs only when asked: it reads the
 * whole ledger in one snapshot, so it never runs on mount, on focus, on an invalidation
 * (a disabled query is not refetched) or by itself after a failure. `refetch()` runs it.
 * Its last result stays in the query cache for the whole session, for every page to read.
 */
export function useLedgerCheck() {
  return trpc.ledger.verify.useQuery(undefined, {
    enabled: false,
    retry: false,
    gcTime: Infinity,
  });
}

type ViolationKind = Violation['kind'];

/** Each kind of violation in an operator's words: a new kind on the API fails the type check. */
export const VIOLATION_KINDS: Record<ViolationKind, { label: string; meaning: string }> = {
  NEGATIVE_BALANCE: {
    label: 'Negative balance',
    meaning: 'The wallet holds less than zero.',
  },
  BALANCE_NOT_SUM_OF_ENTRIES: {
    label: 'Balance differs from its movements',
    meaning: 'The balance is not the sum of the wallet’s movements.',
  },
  BALANCE_NOT_LATEST_ENTRY: {
    label: 'Balance differs from its last movement',
    meaning: 'The balance is not the balance after the wallet’s latest movement.',
  },
  BROKEN_CHAIN: {
    label: 'Broken history',
    meaning: 'A movement does not follow on from the one before it.',
  },
  UNPAIRED_TRANSFER: {
    label: 'Unmatched transfer',
    meaning:
      'A transfer is not exactly one payment out and one payment in, of one amount and currency.',
  },
  MONEY_NOT_CONSERVED: {
    label: 'Money not conserved',
    meaning:
      'The balances of a currency do not add up to the money funded into it less the money withdrawn.',
  },
  UNBALANCED_TRANSACTION: {
    label: 'Unbalanced transaction',
    meaning: 'The movements of one transaction do not sum to zero (double entry is broken).',
  },
  TRANSACTION_METADATA_DIFFERS: {
    label: 'Metadata differs within a transaction',
    meaning: 'The movements of one transaction carry different metadata (it is written once).',
  },
  LEDGER_NOT_ZERO_SUM: {
    label: 'Ledger does not sum to zero',
    meaning: 'The balances of a currency, its external account included, do not add up to zero.',
  },
  NEGATIVE_AVAILABLE: {
    label: 'Held past the balance',
    meaning: 'The wallet’s holds reserve more than its balance (available below zero).',
  },
  HELD_NOT_SUM_OF_PENDING_HOLDS: {
    label: 'Held differs from its holds',
    meaning: 'What the wallet shows as held is not the sum of its pending holds.',
  },
  HOLD_CAPTURE_MISMATCH: {
    label: 'Capture differs from its hold',
    meaning:
      'A captured hold does not have exactly its capture’s movements, of the amount captured, or a movement names a hold that was not captured.',
  },
  MISPLACED_COUNTER_ENTRY: {
    label: 'Misplaced counter-entry',
    meaning:
      'A counter-entry is not on its currency’s external account, or balances no funding or withdrawal of its wallet.',
  },
  REVERSAL_EXCEEDS_ORIGINAL: {
    label: 'Reversed past the original',
    meaning: 'The reversals of a transaction add up to more than the transaction itself.',
  },
  REVERSAL_NOT_COUNTED: {
    label: 'Reversal not counted',
    meaning: 'What is recorded as reversed of a transaction is not the sum of its reversals.',
  },
  MISLINKED_REVERSAL: {
    label: 'Mislinked reversal',
    meaning:
      'A reversal does not undo the transaction it names, movement for movement, on the same wallets.',
  },
  CLOSED_WALLET_NOT_EMPTY: {
    label: 'Closed wallet not empty',
    meaning: 'A closed wallet holds money or has a pending hold; a wallet closes only empty.',
  },
};
