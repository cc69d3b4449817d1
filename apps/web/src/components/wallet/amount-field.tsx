'use client';

import { CURRENCIES, type CurrencyCode } from '@wallet/contract';

import { Field, fieldAria, inputClass } from '../ui';

/** A money input: decimal text as typed (never a float), with the currency beside it. */
export function AmountField({
  id,
  currency,
  value,
  onChange,
  error,
  disabled,
  optional,
}: {
  id: string;
  currency: CurrencyCode;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
  /** Said after the format: what an empty field means (the field is then not required). */
  optional?: string;
}) {
  const digits: number = CURRENCIES[currency].minorDigits;
  const format =
    digits === 0
      ? `Whole ${currency} only.`
      : `In ${currency}, up to ${digits} decimal place${digits === 1 ? '' : 's'}.`;
  const hint = optional === undefined ? format : `${format} ${optional}`;
  return (
    <Field
      id={id}
      label={optional === undefined ? 'Amount' : 'Amount (optional)'}
      errorLabel="Amount"
      error={error}
      hint={hint}
    >
      <div className="relative">
        <input
          id={id}
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          placeholder={digits === 0 ? '100' : `100.${'0'.repeat(digits)}`}
          value={value}
          disabled={disabled}
          onChange={(event) => {
            onChange(event.target.value);
          }}
          className={`${inputClass} tabular pr-14 text-right`}
          {...fieldAria(id, error, true)}
        />
        <span
          aria-hidden="true"
          className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-xs font-semibold text-slate-500"
        >
          {currency}
        </span>
      </div>
    </Field>
  );
}

export function DescriptionField({
  id,
  value,
  onChange,
  error,
  disabled,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  return (
    <Field id={id} label="Description (optional)" errorLabel="Description" error={error}>
      <input
        id={id}
        name="description"
        autoComplete="off"
        value={value}
        disabled={disabled}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        className={inputClass}
        {...fieldAria(id, error)}
      />
    </Field>
  );
}
