'use client';

import { walletIdSchema } from '@wallet/contract';
import { useRouter } from 'next/navigation';
import { useId, useState, type SubmitEvent } from 'react';

import { Button, Card, Field, fieldAria, inputClass } from '../ui';

export function FindWalletCard() {
  const id = useId();
  const inputId = `${id}-wallet-id`;
  const router = useRouter();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [opening, setOpening] = useState(false);

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = value.trim();
    const parsed = walletIdSchema.safeParse(trimmed === '' ? undefined : trimmed);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'is not valid');
      return;
    }
    setError(undefined);
    setOpening(true);
    router.push(`/wallets/${parsed.data.toLowerCase()}`);
  }

  return (
    <Card title="Find a wallet" description="Paste a wallet id to open it.">
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3">
        <Field id={inputId} label="Wallet id" error={error} className="min-w-64 flex-1">
          <input
            id={inputId}
            name="walletId"
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
            }}
            placeholder="0193c4e2-…"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            {...fieldAria(inputId, error)}
          />
        </Field>
        <Button type="submit" className="sm:mt-7" pending={opening} pendingLabel="Opening…">
          Open wallet
        </Button>
      </form>
    </Card>
  );
}
