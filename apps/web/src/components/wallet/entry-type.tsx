import type { WalletEntryType as EntryType } from '@wallet/contract';

import { Badge, type BadgeTone } from '../ui';

export const ENTRY_TYPE_LABELS: Record<EntryType, string> = {
  FUND: 'Funding',
  TRANSFER_IN: 'Transfer in',
  TRANSFER_OUT: 'Transfer out',
  WITHDRAWAL: 'Withdrawal',
};

const ENTRY_TYPE_TONES: Record<EntryType, BadgeTone> = {
  FUND: 'sky',
  TRANSFER_IN: 'emerald',
  TRANSFER_OUT: 'amber',
  WITHDRAWAL: 'red',
};

export function EntryTypeBadge({ type }: { type: EntryType }) {
  return <Badge tone={ENTRY_TYPE_TONES[type]}>{ENTRY_TYPE_LABELS[type]}</Badge>;
}

/** Money in is positive, money out negative (with a true minus sign). */
export function signOf(type: EntryType): '+' | '−' {
  return type === 'TRANSFER_OUT' || type === 'WITHDRAWAL' ? '−' : '+';
}
