'use client';

import { METADATA_KEYS_MAX } from '@wallet/contract';

import { Field, fieldAria, inputClass } from '../ui';

/** A write's metadata, as key=value lines (lib/metadata.ts reads them). */
export function MetadataField({
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
    <Field
      id={id}
      label="Metadata (optional)"
      errorLabel="Metadata"
      error={error}
      hint={`One key=value per line, at most ${METADATA_KEYS_MAX}; stored with the transaction.`}
    >
      <textarea
        id={id}
        name="metadata"
        rows={2}
        autoComplete="off"
        spellCheck={false}
        placeholder="order_id=A-17"
        value={value}
        disabled={disabled}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        className={inputClass}
        {...fieldAria(id, error, true)}
      />
    </Field>
  );
}
