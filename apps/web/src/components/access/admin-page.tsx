'use client';

import {
  ACCESS_ROLES,
  createApiKeyInput,
  createOperatorInput,
  type AccessRole,
} from '@wallet/contract';
import { useId, useState, type SubmitEvent } from 'react';

import { describeProblem } from '~/lib/errors';
import { formatDateTime } from '~/lib/format';
import { fieldErrorsOf } from '~/lib/forms';
import { trpc } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { PageHeader } from '../page-header';
import { useCursorPages } from '../pager';
import { Alert, Badge, Button, Card, Field, fieldAria, inputClass } from '../ui';

const PAGE_SIZE = 20;

export function AdminPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Access"
        description="API keys for programs and accounts for operators. Admins only; every change is in the audit log."
      />
      <ApiKeysCard />
      <OperatorsCard />
    </div>
  );
}

function RoleSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: AccessRole;
  onChange: (role: AccessRole) => void;
}) {
  return (
    <select
      id={id}
      value={value}
      onChange={(event) => {
        onChange(event.target.value as AccessRole);
      }}
      className={inputClass}
    >
      {ACCESS_ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </select>
  );
}

const KEY_COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Role' },
  { label: 'Created', wideOnly: true },
  { label: 'State' },
  { label: 'Action', align: 'right' },
];

function ApiKeysCard() {
  const id = useId();
  const utils = trpc.useUtils();
  const pages = useCursorPages();
  const list = trpc.keys.list.useQuery({ limit: PAGE_SIZE, cursor: pages.cursor });
  const create = trpc.keys.create.useMutation();
  const revoke = trpc.keys.revoke.useMutation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<AccessRole>('read-only');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [secret, setSecret] = useState<string>();
  const [problem, setProblem] = useState<string>();

  async function onCreate(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = createApiKeyInput.safeParse({ name, role });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    setProblem(undefined);
    try {
      const created = await create.mutateAsync(parsed.data);
      setSecret(created.apiKey);
      setName('');
    } catch (error) {
      setProblem(describeProblem(error, 'create').message);
    }
    await utils.keys.list.invalidate();
  }

  return (
    <Card
      title="API keys"
      description="Sent as Authorization: Bearer <key>. Only a hash is stored."
    >
      <form
        onSubmit={(event) => void onCreate(event)}
        noValidate
        className="flex flex-wrap items-end gap-3"
      >
        <Field id={`${id}-name`} label="Key name" error={errors.name} className="min-w-48 flex-1">
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
            className={inputClass}
            {...fieldAria(`${id}-name`, errors.name)}
          />
        </Field>
        <Field id={`${id}-role`} label="Key role" className="min-w-40">
          <RoleSelect id={`${id}-role`} value={role} onChange={setRole} />
        </Field>
        <Button type="submit" pending={create.isPending} pendingLabel="Creating…">
          Create key
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        {problem && <Alert tone="error">{problem}</Alert>}
        {secret && (
          <Alert tone="success">
            New key, shown this once — copy it now:{' '}
            <code data-testid="new-api-key" className="font-mono break-all">
              {secret}
            </code>
          </Alert>
        )}
      </div>
      <div className="mt-4">
        <PagedTable
          query={list}
          pages={pages}
          what="the keys"
          loading="Loading keys…"
          caption="API keys, newest first"
          columns={KEY_COLUMNS}
          className="min-w-[36rem]"
          pagerLabel="API key pages"
          fetching={list.isFetching}
        >
          {(items) =>
            items.map((key) => (
              <AccessRow
                key={key.id}
                rowData={{ 'data-key-id': key.id }}
                name={key.name}
                role={key.role}
                createdAt={key.createdAt}
                ended={key.revokedAt !== null}
                endedLabel="revoked"
                action="Revoke"
                pending={revoke.isPending && revoke.variables.id === key.id}
                onEnd={() => {
                  void revoke.mutateAsync({ id: key.id }).then(() => utils.keys.list.invalidate());
                }}
              />
            ))
          }
        </PagedTable>
      </div>
    </Card>
  );
}

const OPERATOR_COLUMNS: Column[] = [
  { label: 'Username' },
  { label: 'Role' },
  { label: 'Created', wideOnly: true },
  { label: 'State' },
  { label: 'Action', align: 'right' },
];

function OperatorsCard() {
  const id = useId();
  const utils = trpc.useUtils();
  const pages = useCursorPages();
  const list = trpc.users.list.useQuery({ limit: PAGE_SIZE, cursor: pages.cursor });
  const create = trpc.users.create.useMutation();
  const disable = trpc.users.disable.useMutation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<AccessRole>('operator');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [problem, setProblem] = useState<string>();
  const [created, setCreated] = useState<string>();

  async function onCreate(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = createOperatorInput.safeParse({ username, password, role });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    setProblem(undefined);
    setCreated(undefined);
    try {
      const operator = await create.mutateAsync(parsed.data);
      setCreated(operator.username);
      setUsername('');
      setPassword('');
    } catch (error) {
      setProblem(describeProblem(error, 'create').detail ?? 'The service refused this account.');
    }
    await utils.users.list.invalidate();
  }

  return (
    <Card
      title="Operators"
      description="Dashboard accounts. Disabling one ends its sessions at once."
    >
      <form
        onSubmit={(event) => void onCreate(event)}
        noValidate
        className="flex flex-wrap items-end gap-3"
      >
        <Field
          id={`${id}-username`}
          label="Username"
          error={errors.username}
          className="min-w-40 flex-1"
        >
          <input
            id={`${id}-username`}
            value={username}
            autoComplete="off"
            onChange={(event) => {
              setUsername(event.target.value);
            }}
            className={inputClass}
            {...fieldAria(`${id}-username`, errors.username)}
          />
        </Field>
        <Field
          id={`${id}-password`}
          label="Password"
          error={errors.password}
          className="min-w-40 flex-1"
        >
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
            className={inputClass}
            {...fieldAria(`${id}-password`, errors.password)}
          />
        </Field>
        <Field id={`${id}-role`} label="Operator role" className="min-w-40">
          <RoleSelect id={`${id}-role`} value={role} onChange={setRole} />
        </Field>
        <Button type="submit" pending={create.isPending} pendingLabel="Creating…">
          Create operator
        </Button>
      </form>
      <div className="mt-3 space-y-2 empty:hidden">
        {problem && <Alert tone="error">{problem}</Alert>}
        {created && <Alert tone="success">Operator {created} created.</Alert>}
      </div>
      <div className="mt-4">
        <PagedTable
          query={list}
          pages={pages}
          what="the operators"
          loading="Loading operators…"
          caption="Operators, newest first"
          columns={OPERATOR_COLUMNS}
          className="min-w-[36rem]"
          pagerLabel="Operator pages"
          fetching={list.isFetching}
        >
          {(items) =>
            items.map((operator) => (
              <AccessRow
                key={operator.id}
                rowData={{ 'data-operator-id': operator.id }}
                name={operator.username}
                role={operator.role}
                createdAt={operator.createdAt}
                ended={operator.disabledAt !== null}
                endedLabel="disabled"
                action="Disable"
                pending={disable.isPending && disable.variables.id === operator.id}
                onEnd={() => {
                  void disable
                    .mutateAsync({ id: operator.id })
                    .then(() => utils.users.list.invalidate());
                }}
              />
            ))
          }
        </PagedTable>
      </div>
    </Card>
  );
}

/** One API key or operator: name, role, since when, whether it still works, and the button that ends it. */
function AccessRow(props: {
  rowData: Record<`data-${string}`, string>;
  name: string;
  role: string;
  createdAt: Date;
  ended: boolean;
  endedLabel: 'revoked' | 'disabled';
  action: 'Revoke' | 'Disable';
  pending: boolean;
  onEnd: () => void;
}) {
  return (
    <tr {...props.rowData} className="hover:bg-slate-50">
      <td className="px-4 py-2.5 sm:px-5">{props.name}</td>
      <td className="px-3 py-2.5">{props.role}</td>
      <td className="hidden px-3 py-2.5 sm:table-cell">{formatDateTime(props.createdAt)}</td>
      <td className="px-3 py-2.5">
        {props.ended ? (
          <Badge tone="red">{props.endedLabel}</Badge>
        ) : (
          <Badge tone="emerald">active</Badge>
        )}
      </td>
      <td className="px-4 py-2.5 text-right sm:px-5">
        {!props.ended && (
          <Button
            variant="secondary"
            aria-label={`${props.action} ${props.name}`}
            pending={props.pending}
            onClick={props.onEnd}
          >
            {props.action}
          </Button>
        )}
      </td>
    </tr>
  );
}
