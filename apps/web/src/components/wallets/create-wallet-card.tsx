'use client';

import { createWalletInput, CURRENCIES, CURRENCY_CODES, DEFAULT_CURRENCY } from '@wallet/contract';
import Link from 'next/link';

import { shortId } from '~/lib/format';
import { useZodForm } from '~/lib/use-zod-form';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { Button, Card, Field, fieldAria, inputClass } from '../ui';

/** The currency is text: the schema, not the select, decides what is valid. */
const NEW_WALLET: { currency: string } = { currency: DEFAULT_CURRENCY };

export function CreateWalletCard() {
  const utils = trpc.useUtils();
  const create = trpc.wallets.create.useMutation();
  const form = useZodForm({
    schema: createWalletInput,
    initial: NEW_WALLET,
    mutation: create,
    operation: 'create',
    succeeded: (wallet) => (
      <>
        Created {wallet.currency} wallet{' '}
        <Link
          href={`/wallets/${wallet.id}`}
          className="font-mono font-semibold underline"
          data-wallet-id={wallet.id}
        >
          {shortId(wallet.id)}
        </Link>
        .
      </>
    ),
    settled: () => utils.invalidate(),
  });
  const currencyId = `${form.id}-currency`;
  const error = form.errors.currency;

  return (
    <Card title="Create a wallet" description="It starts with a balance of zero.">
      <form
        onSubmit={(event) => void form.onSubmit(event)}
        noValidate
        className="flex flex-wrap items-end gap-3"
      >
        <Field id={currencyId} label="Currency" error={error} className="min-w-48 flex-1">
          <select
            id={currencyId}
            name="currency"
            value={form.values.currency}
            disabled={form.pending}
            onChange={(event) => {
              form.set('currency', event.target.value);
            }}
            className={inputClass}
            {...fieldAria(currencyId, error)}
          >
            {CURRENCY_CODES.map((code) => (
              <option key={code} value={code}>
                {code} · {CURRENCIES[code].name}
              </option>
            ))}
          </select>
        </Field>
        <Button type="submit" pending={form.pending} pendingLabel="Creating…">
          Create wallet
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        <FormOutcome problem={form.problem} done={form.done} />
      </div>
    </Card>
  );
}
