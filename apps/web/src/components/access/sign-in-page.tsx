'use client';

import { TRPCClientError } from '@trpc/client';
import { signInInput } from '@wallet/contract';

import type { ProblemReport } from '~/lib/errors';
import { useZodForm } from '~/lib/use-zod-form';
import { setCsrfToken } from '~/trpc/csrf';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { TextField } from '../forms/text-field';
import { Button, Card } from '../ui';

/** Where to go after signing in: a path of this dashboard only, never another site. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/wallets';
}

/** A refused sign-in carries no ledger code: its HTTP status says what happened. */
function signInProblem(error: unknown): ProblemReport {
  const status =
    error instanceof TRPCClientError
      ? (error.data as { httpStatus?: number } | undefined)?.httpStatus
      : undefined;
  if (status === 401) return { message: 'Wrong username or password.' };
  if (status === 429) return { message: 'Too many attempts. Wait a minute, then try again.' };
  return { message: 'The wallet service could not be reached.' };
}

export function SignInPage() {
  const signIn = trpc.auth.signIn.useMutation();
  const form = useZodForm({
    schema: signInInput,
    initial: { username: '', password: '' },
    mutation: signIn,
    operation: 'load',
    describe: signInProblem,
    succeeded: (session) => {
      setCsrfToken(session.csrfToken);
      // A full load: every query starts afresh under the new session.
      window.location.assign(nextPath());
      return undefined;
    },
  });
  const { id, errors } = form;

  return (
    <div className="mx-auto max-w-sm pt-8">
      <Card title="Sign in" description="Operators of the wallet ledger only.">
        <form onSubmit={(event) => void form.onSubmit(event)} noValidate className="space-y-4">
          <TextField
            id={`${id}-username`}
            label="Username"
            name="username"
            autoComplete="username"
            {...form.text('username')}
            error={errors.username}
          />
          <TextField
            id={`${id}-password`}
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            {...form.text('password')}
            error={errors.password}
          />
          <FormOutcome problem={form.problem} done={form.done} />
          <Button
            type="submit"
            pending={form.pending}
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
