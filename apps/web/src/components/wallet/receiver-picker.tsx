'use client';

import { PAGE_SIZE_MAX, type CurrencyCode } from '@wallet/contract';

import { shortId } from '~/lib/format';
import { formatMoney } from '~/lib/money';
import { trpc } from '~/trpc/react';

import { Field, fieldAria, inputClass } from '../ui';

export const PASTE_ID = 'paste';

export interface ReceiverChoice {
  /** A wallet id from the list, PASTE_ID, or '' (nothing chosen). */
  picked: string;
  pasted: string;
}

export function receiverIdOf(choice: ReceiverChoice): string {
  return choice.picked === PASTE_ID ? choice.pasted.trim().toLowerCase() : choice.picked;
}

/**
 * The receiver: picked from the latest wallets of the same currency, or pasted as an id
 * (for any wallet, including ones past the first page of the list).
 */
export function ReceiverPicker({
  id,
  senderId,
  currency,
  value,
  onChange,
  error,
  disabled,
  emptyLabel = 'Choose a wallet…',
}: {
  id: string;
  senderId: string;
  currency: CurrencyCode;
  value: ReceiverChoice;
  onChange: (choice: ReceiverChoice) => void;
  error: string | undefined;
  disabled: boolean;
  /** The choice of no wallet (a hold's receiver is optional). */
  emptyLabel?: string;
}) {
  // The server filters by currency: the newest wallets of all currencies could hold none.
  const wallets = trpc.wallets.list.useQuery({ limit: PAGE_SIZE_MAX, currency });
  const candidates = (wallets.data?.items ?? []).filter((wallet) => wallet.id !== senderId);
  const pickId = `${id}-pick`;
  const pasteId = `${id}-paste`;
  const pasting = value.picked === PASTE_ID;
  return (
    <div className="space-y-3">
      <Field
        id={pickId}
        label="Receiver"
        error={pasting ? undefined : error}
        hint={
          wallets.isPending
            ? 'Loading wallets…'
            : wallets.isError
              ? 'The wallet list could not be loaded: paste the receiver’s id.'
              : `${currency} wallets, newest first.`
        }
      >
        <select
          id={pickId}
          name="receiver"
          value={value.picked}
          disabled={disabled}
          onChange={(event) => {
            onChange({ ...value, picked: event.target.value });
          }}
          className={inputClass}
          {...fieldAria(pickId, pasting ? undefined : error, true)}
        >
          <option value="">{emptyLabel}</option>
          {candidates.map((wallet) => (
            <option key={wallet.id} value={wallet.id}>
              {shortId(wallet.id)} · {formatMoney(wallet.balance, wallet.currency)}
            </option>
          ))}
          <option value={PASTE_ID}>Another wallet: paste its id…</option>
        </select>
      </Field>
      {pasting && (
        <Field id={pasteId} label="Receiver wallet id" error={error}>
          <input
            id={pasteId}
            name="receiverWalletId"
            value={value.pasted}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            placeholder="0193c4e2-…"
            onChange={(event) => {
              onChange({ ...value, pasted: event.target.value });
            }}
            className={`${inputClass} font-mono`}
            {...fieldAria(pasteId, error)}
          />
        </Field>
      )}
    </div>
  );
}
