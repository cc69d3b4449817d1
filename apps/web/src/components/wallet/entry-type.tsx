import type { EntryType } from '@wallet/contract';

import { cx } from '../ui';

export const ENTRY_TYPE_LABELS: Record<EntryType, string> = {
  FUND: 'Funding',
  TRANSFER_IN: 'Transfer in',
  TRANSFER_OUT: 'Transfer out',
};

const ENTRY_TYPE_TONES: Record<EntryType, string> = {
  FUND: 'bg-sky-50 text-sky-800 ring-sky-200',
  TRANSFER_IN: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  TRANSFER_OUT: 'bg-amber-50 text-amber-800 ring-amber-200',
};

export function EntryTypeBadge({ type }: { type: EntryType }) {
  return (
    <span
      className={cx(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        ENTRY_TYPE_TONES[type],
      )}
    >
      {ENTRY_TYPE_LABELS[type]}
    </span>
  );
}

/** Money in is positive, money out negative (with a true minus sign). */
export function signOf(type: EntryType): '+' | '−' {
  return type === 'TRANSFER_OUT' ? '−' : '+';
}
