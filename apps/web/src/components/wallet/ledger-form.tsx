'use client';

import type { CurrencyCode } from '@wallet/contract';
import { useId, useRef, useState, type ReactNode, type SubmitEvent } from 'react';
import type { z } from 'zod';

import { describeProblem, ledgerCodeOf, type Operation, type ProblemReport } from '~/lib/errors';
import { amountProblemFor, fieldErrorsOf, optionalText } from '~/lib/forms';
import { useSubmissionKey } from '~/lib/idempotency';
import { trpc } from '~/trpc/react';

import { Alert } from '../ui';
import { AmountField, DescriptionField } from './amount-field';

/** The message of each field in error, by the form's name for the field. */
type FieldErrors = Partial<Record<string, string>>;

export interface LedgerFormOptions<Schema extends z.ZodType<{ amount: string }>, Result> {
  /** The operation the problems shown speak of (see `describeProblem`). */
  operation: Operation;
  /** The contract's input schema; it validates the fields and then the input sent. */
  schema: Schema;
  currency: CurrencyCode;
  mutation: { mutateAsync: (input: z.output<Schema>) => Promise<Result>; isPending: boolean };
  /** The values to check, from the trimmed amount and description ("" becomes undefined). */
  values: (typed: { amount: string | undefined; description: string | undefined }) => unknown;
  /** The form's name for a field the schema names otherwise: `{ receiverWalletId: 'receiver' }`. */
  fieldNames?: Partial<Record<string, string>>;
  /** Checks beyond the schema (the amount's digits in the currency are checked already). */
  check?: (data: z.output<Schema>) => FieldErrors;
  /** The success message. */
  succeeded: (result: Result, input: z.output<Schema>) => ReactNode;
}

/**
 * What the fund and transfer forms share: the amount and description fields, the check
 * against the contract's schema, one idempotency key per submission (renewed after a
 * success), a guard against a second click, and the outcome (field errors, a problem, or
 * a success message).
 */
export function useLedgerForm<Schema extends z.ZodType<{ amount: string }>, Result>(
  options: LedgerFormOptions<Schema, Result>,
) {
  const { operation, schema, currency, mutation, values, fieldNames = {}, check } = options;
  const id = useId();
  const utils = trpc.useUtils();
  const submission = useSubmissionKey();
  const inFlight = useRef(false);
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ProblemReport>();
  const [done, setDone] = useState<ReactNode>();

  function finish(message: ReactNode) {
    submission.renew();
    setAmount('');
    setDescription('');
    setDone(message);
  }

  /** The input to send, or the errors to show by each field. */
  function validate(): { input: z.output<Schema> } | { errors: FieldErrors } {
    const parsed = schema.safeParse(
      values({ amount: optionalText(amount), description: optionalText(description) }),
    );
    if (!parsed.success) {
      const renamed: FieldErrors = {};
      for (const [field, message] of Object.entries(fieldErrorsOf(parsed.error))) {
        renamed[fieldNames[field] ?? field] = message;
      }
      return { errors: renamed };
    }
    const problems: FieldErrors = {
      ...check?.(parsed.data),
      amount: amountProblemFor(parsed.data.amount, currency),
    };
    const found = Object.entries(problems).filter(([, message]) => message !== undefined);
    if (found.length > 0) return { errors: Object.fromEntries(found) };
    // The key belongs to the normalised submission: "40" and "40.00" are one payment.
    const input = schema.parse({
      ...parsed.data,
      idempotencyKey: submission.keyFor(parsed.data),
    });
    return { input };
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return; // a second click before the button disables itself
    setProblem(undefined);
    setDone(undefined);
    const checked = validate();
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    inFlight.current = true;
    const { input } = checked;
    try {
      const result = await mutation.mutateAsync(input);
      finish(options.succeeded(result, input));
    } catch (error) {
      if (ledgerCodeOf(error) === 'DUPLICATE_IDEMPOTENCY_KEY') {
        // An earlier attempt of this very submission went through; it was not repeated.
        finish(describeProblem(error, operation).message);
      } else {
        setProblem(describeProblem(error, operation));
      }
    } finally {
      inFlight.current = false;
      await utils.invalidate();
    }
  }

  return {
    id,
    currency,
    pending: mutation.isPending,
    amount: { value: amount, onChange: setAmount },
    description: { value: description, onChange: setDescription },
    errors,
    problem,
    done,
    onSubmit,
  };
}

export type LedgerFormState = ReturnType<
  typeof useLedgerForm<z.ZodType<{ amount: string }>, unknown>
>;

/**
 * The form itself: the form's own fields (`children`), the amount and description, the
 * submit button, and the outcome below it.
 */
export function LedgerForm({
  form,
  submit,
  children,
}: {
  form: LedgerFormState;
  submit: ReactNode;
  children?: ReactNode;
}) {
  const { id, pending, errors, problem, done } = form;
  return (
    <form onSubmit={(event) => void form.onSubmit(event)} noValidate className="space-y-4">
      {children}
      <AmountField
        id={`${id}-amount`}
        currency={form.currency}
        {...form.amount}
        error={errors.amount}
        disabled={pending}
      />
      <DescriptionField
        id={`${id}-description`}
        {...form.description}
        error={errors.description}
        disabled={pending}
      />
      {submit}
      {problem && (
        <Alert tone="error" detail={problem.detail}>
          {problem.message}
        </Alert>
      )}
      {done && <Alert tone="success">{done}</Alert>}
    </form>
  );
}
