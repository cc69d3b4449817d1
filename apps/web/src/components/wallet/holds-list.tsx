'use client';

import {
  PAGE_SIZE_MAX,
  captureHoldInput,
  type CurrencyCode,
  type HoldStatus,
} from '@wallet/contract';
import { useState, type ReactNode } from 'react';

import { describeProblem, type Operation } from '~/lib/errors';
import { amountProblemFor, optionalText } from '~/lib/forms';
import { formatDateTime, shortId } from '~/lib/format';
import { useSubmissionKey } from '~/lib/idempotency';
import { formatAmount, formatMoney } from '~/lib/money';
import { trpc, type HoldItem } from '~/trpc/react';

import { DataTable, type Column } from '../data-table';
import { Badge, Button, Card, cx, inputClass, Placeholder, type BadgeTone } from '../ui';
import { WalletLink } from '../wallet-link';

const COLUMNS: Column[] = [
  { label: 'Placed' },
  { label: 'Amount', align: 'right' },
  { label: 'Receiver' },
  { label: 'Expires' },
  { label: 'Status' },
  { label: 'Actions' },
];

const STATUS: Record<HoldStatus, { label: string; tone: BadgeTone }> = {
  PENDING: { label: 'Pending', tone: 'amber' },
  CAPTURED: { label: 'Captured', tone: 'emerald' },
  VOIDED: { label: 'Voided', tone: 'sky' },
  EXPIRED: { label: 'Expired', tone: 'red' },
};

/**
 * The holds this wallet pays, newest first, with their capture (all, or the amount typed)
 * and void for a pending one; `canWrite` false (a read-only session) shows no action.
 */
export function HoldsList({
  walletId,
  currency,
  canWrite,
  className,
}: {
  walletId: string;
  currency: CurrencyCode;
  canWrite: boolean;
  className?: string;
}) {
  const holds = trpc.holds.list.useQuery({ walletId, limit: PAGE_SIZE_MAX });
  let body: ReactNode;
  if (holds.isPending) body = <Placeholder busy>Loading holds…</Placeholder>;
  else if (holds.isError) body = <Placeholder>The holds could not be loaded.</Placeholder>;
  else if (holds.data.items.length === 0) body = <Placeholder>No holds yet.</Placeholder>;
  else {
    body = (
      <DataTable caption="Holds of this wallet" columns={COLUMNS} className="min-w-[44rem]">
        {holds.data.items.map((hold) => (
          <HoldRow key={hold.id} hold={hold} currency={currency} canWrite={canWrite} />
        ))}
      </DataTable>
    );
  }
  return (
    <Card
      title="Holds"
      description={`Reserved amounts, newest first (the latest ${PAGE_SIZE_MAX}).`}
      className={className}
    >
      {body}
    </Card>
  );
}

function HoldRow({
  hold,
  currency,
  canWrite,
}: {
  hold: HoldItem;
  currency: CurrencyCode;
  canWrite: boolean;
}) {
  const status = STATUS[hold.status];
  return (
    <tr data-hold-id={hold.id} className="border-b border-slate-100 align-top last:border-0">
      <td className="tabular px-4 py-2 whitespace-nowrap sm:px-5">
        {formatDateTime(hold.createdAt)}
      </td>
      <td className="tabular px-3 py-2 text-right whitespace-nowrap">
        {formatAmount(hold.amount, currency)}
        {hold.status === 'CAPTURED' && (
          <span className="block text-xs text-slate-500">
            captured {formatAmount(hold.capturedAmount, currency)}
          </span>
        )}
      </td>
      <td className="px-3 py-2">
        {hold.receiverWalletId ? (
          <WalletLink walletId={hold.receiverWalletId} />
        ) : (
          <span className="text-slate-500">Pays out</span>
        )}
      </td>
      <td className="tabular px-3 py-2 whitespace-nowrap">
        {hold.expiresAt ? (
          formatDateTime(hold.expiresAt)
        ) : (
          <span className="text-slate-500">Never</span>
        )}
      </td>
      <td className="px-3 py-2">
        <Badge tone={status.tone}>{status.label}</Badge>
      </td>
      <td className="px-4 py-2 sm:px-5">
        {canWrite && hold.status === 'PENDING' ? (
          <HoldActions hold={hold} currency={currency} />
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
    </tr>
  );
}

/** Capture (all, or the amount typed) or void one pending hold; each retry-safe by its key. */
function HoldActions({ hold, currency }: { hold: HoldItem; currency: CurrencyCode }) {
  const utils = trpc.useUtils();
  const capture = trpc.holds.capture.useMutation();
  const release = trpc.holds.void.useMutation();
  const captureKey = useSubmissionKey();
  const voidKey = useSubmissionKey();
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<{ text: string; problem: boolean } | undefined>();
  const pending = capture.isPending || release.isPending;

  async function run(operation: Operation, call: () => Promise<unknown>, done: string) {
    setMessage(undefined);
    try {
      await call();
      setMessage({ text: done, problem: false });
    } catch (error) {
      setMessage({ text: describeProblem(error, operation).message, problem: true });
    } finally {
      await utils.invalidate();
    }
  }

  function onCapture() {
    const parsed = captureHoldInput.safeParse({ holdId: hold.id, amount: optionalText(amount) });
    const problem = parsed.success
      ? parsed.data.amount && amountProblemFor(parsed.data.amount, currency)
      : 'Amount must be a positive decimal number.';
    if (!parsed.success || problem) {
      setMessage({ text: problem || 'Amount is not valid.', problem: true });
      return;
    }
    const input = { ...parsed.data, idempotencyKey: captureKey.keyFor(parsed.data) };
    void run(
      'capture',
      async () => {
        await capture.mutateAsync(input);
        captureKey.renew();
      },
      `Captured ${formatMoney(parsed.data.amount ?? hold.amount, currency)}.`,
    );
  }

  function onVoid() {
    const input = { holdId: hold.id, idempotencyKey: voidKey.keyFor(hold.id) };
    void run('void', () => release.mutateAsync(input), 'Voided.');
  }

  const amountId = `capture-${hold.id}`;
  return (
    <div className="space-y-1.5">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={amountId} className="sr-only">
          Capture amount
        </label>
        <input
          id={amountId}
          inputMode="decimal"
          autoComplete="off"
          placeholder={`all ${formatAmount(hold.amount, currency)}`}
          value={amount}
          disabled={pending}
          onChange={(event) => {
            setAmount(event.target.value);
          }}
          className={cx(inputClass, 'tabular w-28 py-1.5 text-right')}
        />
        <Button type="button" onClick={onCapture} pending={capture.isPending} disabled={pending}>
          Capture
        </Button>
        <Button
          type="button"
          variant="secondary"
          onClick={onVoid}
          pending={release.isPending}
          disabled={pending}
        >
          Void
        </Button>
      </div>
      {message && (
        <p
          role={message.problem ? 'alert' : 'status'}
          className={cx('text-xs', message.problem ? 'text-red-700' : 'text-emerald-700')}
        >
          {message.text}
        </p>
      )}
      <span className="sr-only">Hold {shortId(hold.id)}</span>
    </div>
  );
}
