import type { InputHTMLAttributes } from 'react';

import { Field, fieldAria, inputClass } from '../ui';

export interface TextFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'className'
> {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  /** The Field's classes (its width in a row of fields). */
  className?: string;
}

/** A labelled text input of a form, with its error under it and the `aria-*` that tie them. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  className,
  ...input
}: TextFieldProps) {
  return (
    <Field id={id} label={label} error={error} className={className}>
      <input
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        className={inputClass}
        {...input}
        {...fieldAria(id, error)}
      />
    </Field>
  );
}
