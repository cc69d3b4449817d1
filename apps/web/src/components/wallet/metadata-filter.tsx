'use client';

import { describeIssues, metadataFilterSchema, type Metadata } from '@wallet/contract';
import { useId, useState } from 'react';

import { metadataOfLines } from '~/lib/metadata';

import { cx, inputClass } from '../ui';

/**
 * The history's metadata filter: `key=value` pairs joined by `&` (`order=A-17&shop=north`:
 * every pair must match), read as the forms read lines and judged by the contract's filter
 * schema. Applied on Enter, so typing sends no query per keystroke; empty: no filter.
 */
export function MetadataFilter({ onChange }: { onChange: (filter: Metadata | undefined) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();

  function apply() {
    const lines = metadataOfLines(text.split('&').join('\n'));
    if ('problem' in lines) {
      setProblem(lines.problem);
      return;
    }
    if (lines.metadata === undefined) {
      setProblem(undefined);
      onChange(undefined);
      return;
    }
    const parsed = metadataFilterSchema.safeParse(lines.metadata);
    if (!parsed.success) {
      setProblem(describeIssues(parsed.error));
      return;
    }
    setProblem(undefined);
    onChange(parsed.data);
  }

  return (
    <form
      role="search"
      aria-label="Filter by metadata"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
      className="flex flex-col gap-1"
    >
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          Metadata
        </label>
        <input
          id={id}
          name="metadata-filter"
          placeholder="key=value"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
          className={cx(inputClass, 'w-48 py-1.5')}
        />
        <button type="submit" className="text-sm font-medium text-indigo-700 hover:underline">
          Filter
        </button>
      </div>
      {problem ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          Metadata filter: {problem}
        </p>
      ) : null}
    </form>
  );
}
