'use client';

import { createWalletInput, CURRENCIES, CURRENCY_CODES, DEFAULT_CURRENCY } from '@wallet/contract';
import Link from 'next/link';
import { useId, useRef, useState, type SubmitEvent } from 'react';

import { describeProblem, type ProblemReport } from '~/lib/errors';
import { fieldErrorsOf } from '~/lib/forms';
import { shortId } from '~/lib/format';
import { trpc, type Wallet } from '~/trpc/react';

import { Alert, Button, Card, Field, fieldAria, inputClass } from '../ui';

export function CreateWalletCard() {
  const id = useId();
  const currencyId = `${id}-currency`;
  const utils = trpc.useUtils();
  const create = trpc.wallets.create.useMutation();
  const inFlight = useRef(false);
  const [currency, setCurrency] = useState<string>(DEFAULT_CURRENCY);
  const [fieldError, setFieldError] = useState<string>();
  const [problem, setProblem] = useState<ProblemReport>();
  const [created, setCreated] = useState<Wallet>();

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return; // a second click before the button disables itself
    const parsed = createWalletInput.safeParse({ currency });
    if (!parsed.success) {
      setFieldError(fieldErrorsOf(parsed.error).currency);
      return;
    }
    setFieldError(undefined);
    setProblem(undefined);
    setCreated(undefined);
    inFlight.current = true;
    try {
      const wallet = await create.mutateAsync(parsed.data);
      setCreated(wallet);
    } catch (error) {
      setProblem(describeProblem(error, 'create'));
    } finally {
      inFlight.current = false;
    }
    await utils.invalidate();
  }

  return (
    <Card title="Create a wallet" description="It starts with a balance of zero.">
      <form
        onSubmit={(event) => void onSubmit(event)}
        noValidate
        className="flex flex-wrap items-end gap-3"
      >
        <Field id={currencyId} label="Currency" error={fieldError} className="min-w-48 flex-1">
          <select
            id={currencyId}
            name="currency"
            value={currency}
            disabled={create.isPending}
            onChange={(event) => {
              setCurrency(event.target.value);
            }}
            className={inputClass}
            {...fieldAria(currencyId, fieldError)}
          >
            {CURRENCY_CODES.map((code) => (
              <option key={code} value={code}>
                {code} · {CURRENCIES[code].name}
              </option>
            ))}
          </select>
        </Field>
        <Button type="submit" pending={create.isPending} pendingLabel="Creating…">
          Create wallet
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        {problem && (
          <Alert tone="error" detail={problem.detail}>
            {problem.message}
          </Alert>
        )}
        {created && (
          <Alert tone="success">
            Created {created.currency} wallet{' '}
            <Link
              href={`/wallets/${created.id}`}
              className="font-mono font-semibold underline"
              data-wallet-id={created.id}
            >
              {shortId(created.id)}
            </Link>
            .
          </Alert>
        )}
      </div>
    </Card>
  );
}
