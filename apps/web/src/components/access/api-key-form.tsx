'use client';

import { createApiKeyInput, type AccessRole } from '@wallet/contract';

import { describeProblem } from '~/lib/errors';
import { useZodForm } from '~/lib/use-zod-form';
import { trpc } from '~/trpc/react';

import { FormOutcome } from '../forms/form-outcome';
import { TextField } from '../forms/text-field';
import { Button } from '../ui';
import { RoleSelect } from './role-select';

const NO_KEY: { name: string; role: AccessRole } = { name: '', role: 'read-only' };

/** A new API key: its name and role; the secret is shown once, here, after it is made. */
export function ApiKeyForm() {
  const utils = trpc.useUtils();
  const create = trpc.keys.create.useMutation();
  const form = useZodForm({
    schema: createApiKeyInput,
    initial: NO_KEY,
    mutation: create,
    operation: 'create',
    describe: (error) => ({ message: describeProblem(error, 'create').message }),
    succeeded: (created) => (
      <>
        New key, shown this once — copy it now:{' '}
        <code data-testid="new-api-key" className="font-mono break-all">
          {created.apiKey}
        </code>
      </>
    ),
    clearOnSuccess: ['name'],
    settled: () => utils.keys.list.invalidate(),
  });

  return (
    <>
      <form
        onSubmit={(event) => void form.onSubmit(event)}
        noValidate
        className="flex flex-wrap items-end gap-3"
      >
        <TextField
          id={`${form.id}-name`}
          label="Key name"
          {...form.text('name')}
          error={form.errors.name}
          className="min-w-48 flex-1"
        />
        <RoleSelect
          id={`${form.id}-role`}
          label="Key role"
          value={form.values.role}
          onChange={(role) => {
            form.set('role', role);
          }}
        />
        <Button type="submit" pending={form.pending} pendingLabel="Creating…">
          Create key
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        <FormOutcome problem={form.problem} done={form.done} />
      </div>
    </>
  );
}
