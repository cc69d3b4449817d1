'use client';

import type { CurrencyCode } from '@wallet/contract';
import type { ReactNode } from 'react';
import type { z } from 'zod';

import { describeProblem, ledgerCodeOf, type Operation } from '~/lib/errors';
import { amountProblemFor } from '~/lib/forms';
import { metadataOfLines } from '~/lib/metadata';
import { useSubmissionKey } from '~/lib/idempotency';
import { useZodForm, type FieldErrors, type ZodForm } from '~/lib/use-zod-form';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { AmountField, DescriptionField } from './amount-field';
import { MetadataField } from './metadata-field';

/** The fields every ledger form has; a form may add its own (the transfer's receiver). */
export interface LedgerFields {
  amount: string;
  description: string;
  /** key=value lines (lib/metadata.ts), sent as the write's metadata. */
  metadata: string;
}

type AmountSchema = z.ZodType<{ amount: string }>;

export interface LedgerFormOptions<
  Fields extends LedgerFields,
  Schema extends AmountSchema,
  Result,
> {
  operation: Operation;
  schema: Schema;
  currency: CurrencyCode;
  mutation: { mutateAsync: (input: z.output<Schema>) => Promise<Result>; isPending: boolean };
  initial: Fields;
  /** The values to check, from the fields (text trimmed, "" as not given, by the caller). */
  toInput: (values: Fields) => unknown;
  fieldNames?: Partial<Record<string, string>>;
  /** Checks beyond the schema (the amount's digits in the currency are checked already). */
  check?: (data: z.output<Schema>) => FieldErrors;
  succeeded: (result: Result, input: z.output<Schema>) => ReactNode;
}

/**
 * What the fund and transfer forms add to `useZodForm`: the amount checked against the
 * wallet's currency, one idempotency key per submission (renewed after a success), an
 * earlier attempt's success recognised as one, and every query refreshed afterwards.
 */
export function useLedgerForm<Fields extends LedgerFields, Schema extends AmountSchema, Result>(
  options: LedgerFormOptions<Fields, Schema, Result>,
) {
  const { schema, currency, check, operation } = options;
  const utils = trpc.useUtils();
  const submission = useSubmissionKey();
  const form = useZodForm({
    ...options,
    // The lines' form here; the keys, values and limits by the schema (metadataSchema).
    toInput: (values) => ({ ...asObject(options.toInput(values)), metadata: metadataOf(values) }),
    checkFields: (values) => {
      const lines = metadataOfLines(values.metadata);
      return 'problem' in lines ? { metadata: lines.problem } : {};
    },
    check: (data) => ({ ...check?.(data), amount: amountProblemFor(data.amount, currency) }),
    // The key belongs to the normalised submission: "40" and "40.00" are one payment.
    prepare: (data) => schema.parse({ ...data, idempotencyKey: submission.keyFor(data) }),
    succeeded: (result, input) => {
      submission.renew();
      return options.succeeded(result, input);
    },
    recover: (error) => {
      if (ledgerCodeOf(error) !== 'DUPLICATE_IDEMPOTENCY_KEY') return undefined;
      // An earlier attempt of this very submission went through; it was not repeated.
      submission.renew();
      return describeProblem(error, operation).message;
    },
    clearOnSuccess: ['amount', 'description', 'metadata'],
    settled: () => utils.invalidate(),
  });
  return { ...form, currency };
}

/**
 * The form itself: the form's own fields (`children`), the amount and description, the
 * submit button, and the outcome below it.
 */
export function LedgerForm({
  form,
  submit,
  children,
}: {
  form: ZodForm<LedgerFields> & { currency: CurrencyCode };
  submit: ReactNode;
  children?: ReactNode;
}) {
  const { id, pending, errors } = form;
  return (
    <form onSubmit={(event) => void form.onSubmit(event)} noValidate className="space-y-4">
      {children}
      <AmountField
        id={`${id}-amount`}
        currency={form.currency}
        {...form.text('amount')}
        error={errors.amount}
        disabled={pending}
      />
      <DescriptionField
        id={`${id}-description`}
        {...form.text('description')}
        error={errors.description}
        disabled={pending}
      />
      <MetadataField
        id={`${id}-metadata`}
        {...form.text('metadata')}
        error={errors.metadata}
        disabled={pending}
      />
      {submit}
      <FormOutcome problem={form.problem} done={form.done} />
    </form>
  );
}

/** The metadata the lines hold; none when they cannot be read (checkFields says why). */
function metadataOf(values: LedgerFields) {
  const lines = metadataOfLines(values.metadata);
  return 'metadata' in lines ? lines.metadata : undefined;
}

function asObject(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}
