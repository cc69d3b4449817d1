'use client';

import { reverseTransactionInput, type CurrencyCode } from '@wallet/contract';

import { amountProblemFor, optionalText } from '~/lib/forms';
import { useSubmissionKey } from '~/lib/idempotency';
import { describeProblem, ledgerCodeOf } from '~/lib/errors';
import { formatMoney } from '~/lib/money';
import { useZodForm } from '~/lib/use-zod-form';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { Button } from '../ui';
import { AmountField, DescriptionField } from './amount-field';

/** Zero as exact decimal text ("0", "0.00", "0.000"). */
const NOTHING = /^0(?:\.0+)?$/;

/**
 * The confirmation of a reversal, opened from a history row: the contract's one reversal
 * schema validates it, as the API does. An empty amount reverses all that is left; one
 * idempotency key per submission, so a retry cannot reverse twice.
 */
export function ReverseForm({
  transactionId,
  remaining,
  currency,
  onClose,
}: {
  transactionId: string;
  /** What is left of the transaction to reverse, as exact decimal text. */
  remaining: string;
  currency: CurrencyCode;
  onClose: () => void;
}) {
  const utils = trpc.useUtils();
  const reverse = trpc.transactions.reverse.useMutation();
  const submission = useSubmissionKey();
  const form = useZodForm({
    operation: 'reverse',
    schema: reverseTransactionInput,
    mutation: reverse,
    initial: { amount: '', description: '' },
    toInput: ({ amount, description }) => ({
      transactionId,
      amount: optionalText(amount),
      description: optionalText(description),
    }),
    check: (data) => ({
      amount: data.amount === undefined ? undefined : amountProblemFor(data.amount, currency),
    }),
    prepare: (data) =>
      reverseTransactionInput.parse({ ...data, idempotencyKey: submission.keyFor(data) }),
    succeeded: (result) => {
      submission.renew();
      const left = NOTHING.test(result.remainingAmount)
        ? 'Nothing is left to reverse.'
        : `Left to reverse: ${formatMoney(result.remainingAmount, currency)}.`;
      return `Reversed ${formatMoney(result.amount, currency)}. ${left}`;
    },
    recover: (error) => {
      if (ledgerCodeOf(error) !== 'DUPLICATE_IDEMPOTENCY_KEY') return undefined;
      submission.renew();
      return describeProblem(error, 'reverse').message;
    },
    clearOnSuccess: ['amount', 'description'],
    settled: () => utils.invalidate(),
  });
  const { id, pending, errors } = form;

  return (
    <form
      aria-label="Reverse this transaction"
      onSubmit={(event) => void form.onSubmit(event)}
      noValidate
      className="grid gap-4 sm:grid-cols-2"
    >
      <p className="text-sm text-slate-700 sm:col-span-2">
        Reverse this transaction? The money moves back to where it came from.{' '}
        {formatMoney(remaining, currency)} is left to reverse.
      </p>
      <AmountField
        id={`${id}-amount`}
        currency={currency}
        {...form.text('amount')}
        error={errors.amount}
        disabled={pending}
        optional="Empty: all that is left."
      />
      <DescriptionField
        id={`${id}-description`}
        {...form.text('description')}
        error={errors.description}
        disabled={pending}
      />
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <Button type="submit" pending={pending} pendingLabel="Reversing…">
          Confirm reversal
        </Button>
        <Button variant="secondary" onClick={onClose} disabled={pending}>
          Close
        </Button>
      </div>
      <div className="sm:col-span-2">
        <FormOutcome problem={form.problem} done={form.done} />
      </div>
    </form>
  );
}
