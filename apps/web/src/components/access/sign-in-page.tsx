'use client';

import { signInInput } from '@wallet/contract';
import { useId, useState, type SubmitEvent } from 'react';

import { fieldErrorsOf } from '~/lib/forms';
import { setCsrfToken } from '~/trpc/csrf';
import { trpc } from '~/trpc/react';
import { TRPCClientError } from '@trpc/client';

import { Alert, Button, Card, Field, fieldAria, inputClass } from '../ui';

/** Where to go after signing in: a path of this dashboard only, never another site. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/wallets';
}

export function SignInPage() {
  const id = useId();
  const signIn = trpc.auth.signIn.useMutation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string | undefined>>({});
  const [problem, setProblem] = useState<string>();

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = signInInput.safeParse({ username, password });
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setFieldErrors({});
    setProblem(undefined);
    try {
      const session = await signIn.mutateAsync(parsed.data);
      setCsrfToken(session.csrfToken);
      // A full load: every query starts afresh under the new session.
      window.location.assign(nextPath());
    } catch (error) {
      const status =
        error instanceof TRPCClientError
          ? (error.data as { httpStatus?: number } | undefined)?.httpStatus
          : undefined;
      setProblem(
        status === 401
          ? 'Wrong username or password.'
          : status === 429
            ? 'Too many attempts. Wait a minute, then try again.'
            : 'The wallet service could not be reached.',
      );
    }
  }

  return (
    <div className="mx-auto max-w-sm pt-8">
      <Card title="Sign in" description="Operators of the wallet ledger only.">
        <form onSubmit={(event) => void onSubmit(event)} noValidate className="space-y-4">
          <Field id={`${id}-username`} label="Username" error={fieldErrors.username}>
            <input
              id={`${id}-username`}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(event) => {
                setUsername(event.target.value);
              }}
              className={inputClass}
              {...fieldAria(`${id}-username`, fieldErrors.username)}
            />
          </Field>
          <Field id={`${id}-password`} label="Password" error={fieldErrors.password}>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
              }}
              className={inputClass}
              {...fieldAria(`${id}-password`, fieldErrors.password)}
            />
          </Field>
          {problem && <Alert tone="error">{problem}</Alert>}
          <Button
            type="submit"
            pending={signIn.isPending}
            pendingLabel="Signing in…"
            className="w-full"
          >
            Sign in
          </Button>
        </form>
      </Card>
    </div>
  );
}
