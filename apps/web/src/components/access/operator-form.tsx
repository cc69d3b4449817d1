'use client';

import { createOperatorInput, type AccessRole } from '@wallet/contract';

import { describeProblem } from '~/lib/errors';
import { useZodForm } from '~/lib/use-zod-form';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { TextField } from '../forms/text-field';
import { Button } from '../ui';
import { RoleSelect } from './role-select';

const NO_OPERATOR: { username: string; password: string; role: AccessRole } = {
  username: '',
  password: '',
  role: 'operator',
};

/** A new operator account: username, password and role. */
export function OperatorForm() {
  const utils = trpc.useUtils();
  const create = trpc.users.create.useMutation();
  const form = useZodForm({
    schema: createOperatorInput,
    initial: NO_OPERATOR,
    mutation: create,
    operation: 'create',
    describe: (error) => ({
      message: describeProblem(error, 'create').detail ?? 'The service refused this account.',
    }),
    succeeded: (operator) => `Operator ${operator.username} created.`,
    clearOnSuccess: ['username', 'password'],
    settled: () => utils.users.list.invalidate(),
  });
  const { id, errors } = form;

  return (
    <>
      <form
        onSubmit={(event) => void form.onSubmit(event)}
        noValidate
        className="flex flex-wrap items-end gap-3"
      >
        <TextField
          id={`${id}-username`}
          label="Username"
          autoComplete="off"
          {...form.text('username')}
          error={errors.username}
          className="min-w-40 flex-1"
        />
        <TextField
          id={`${id}-password`}
          label="Password"
          type="password"
          autoComplete="new-password"
          {...form.text('password')}
          error={errors.password}
          className="min-w-40 flex-1"
        />
        <RoleSelect
          id={`${id}-role`}
          label="Operator role"
          value={form.values.role}
          onChange={(role) => {
            form.set('role', role);
          }}
        />
        <Button type="submit" pending={form.pending} pendingLabel="Creating…">
          Create operator
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        <FormOutcome problem={form.problem} done={form.done} />
      </div>
    </>
  );
}
