'use client';

import { formatMinor, minorDigitsOf, type CurrencyCode } from '@wallet/contract';

import type { Entry } from '~/trpc/react';

import { Badge, Button } from '../ui';

/** An entry's transaction: a transfer leg's transfer (or reversal), or the entry itself. */
export function transactionIdOf(entry: Entry): string {
  return entry.transferId ?? entry.id;
}

/**
 * Minor units of the API's money text, which always carries all the currency's digits
 * ("4.00", "0.000", "12"): exact, no float.
 */
function minorOf(text: string): bigint {
  return BigInt(text.replace('.', ''));
}

/** What is left of an entry's transaction to reverse, as exact decimal text ("0.00": nothing). */
export function remainingOf(entry: Entry): { text: string; minor: bigint } {
  const minor = minorOf(entry.amount) - minorOf(entry.reversedAmount);
  return { text: formatMinor(minor, minorDigitsOf(entry.currency)), minor };
}

/**
 * The reversal column of a history row: a reversal names its original (a link to the
 * original's row, which is on this wallet's history too); an original says how much of
 * it is reversed and, for an operator, offers to reverse what is left.
 */
export function ReversalCell({
  entry,
  currency,
  canReverse,
  reversing,
  onReverse,
}: {
  entry: Entry;
  currency: CurrencyCode;
  canReverse: boolean;
  reversing: boolean;
  onReverse: () => void;
}) {
  if (entry.reversesTransactionId !== null) {
    return (
      <a
        href={`#transaction-${entry.reversesTransactionId}`}
        data-reverses={entry.reversesTransactionId}
        className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline"
        title={`Reversal of transaction ${entry.reversesTransactionId}`}
      >
        Reversal of {entry.reversesTransactionId.slice(0, 8)}…
      </a>
    );
  }
  const remaining = remainingOf(entry);
  const reversed = minorOf(entry.reversedAmount) > 0n;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {reversed && (
        <Badge tone={remaining.minor === 0n ? 'red' : 'amber'}>
          {remaining.minor === 0n ? 'Reversed' : 'Partially reversed'}
        </Badge>
      )}
      {canReverse && remaining.minor > 0n && !reversing && (
        <Button
          variant="ghost"
          className="px-2 py-1 text-xs"
          onClick={onReverse}
          aria-label={`Reverse ${entry.amount} ${currency} transaction`}
        >
          Reverse…
        </Button>
      )}
      {!reversed && !(canReverse && remaining.minor > 0n) && (
        <span className="text-slate-400">—</span>
      )}
    </div>
  );
}
