'use client';

import { keepPreviousData } from '@tanstack/react-query';
import {
  entryTypeSchema,
  PAGE_SIZE_DEFAULT,
  roleAllows,
  type CurrencyCode,
  type Metadata,
  type WalletEntryType as EntryType,
} from '@wallet/contract';
import { useId, useState } from 'react';

import { formatDateTime } from '~/lib/format';
import { metadataPairs } from '~/lib/metadata';
import { formatAmount } from '~/lib/money';
import { trpc, type Entry } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { useCursorPages } from '../pager';
import { Card, cx, inputClass } from '../ui';
import { WalletLink } from '../wallet-link';
import { ENTRY_TYPE_LABELS, EntryTypeBadge, signOf } from './entry-type';
import { MetadataFilter } from './metadata-filter';
import { ReversalCell, remainingOf, transactionIdOf } from './reversal-cell';
import { ReverseForm } from './reverse-form';

export const HISTORY_PAGE_SIZE = PAGE_SIZE_DEFAULT;

const HISTORY_COLUMNS: Column[] = [
  { label: 'Time' },
  { label: 'Type' },
  { label: 'Amount', align: 'right' },
  { label: 'Balance before', align: 'right' },
  { label: 'Balance after', align: 'right' },
  { label: 'Counterparty' },
  { label: 'Description' },
  { label: 'Metadata' },
  { label: 'Reversal' },
];

export function HistoryTable({ walletId, currency }: { walletId: string; currency: CurrencyCode }) {
  const filterId = useId();
  const [type, setType] = useState<EntryType | undefined>();
  const [metadata, setMetadata] = useState<Metadata | undefined>();
  const pages = useCursorPages();
  // Only an operator may reverse: a read-only session is not offered the action.
  const session = trpc.auth.session.useQuery(undefined, { retry: false });
  const canReverse = session.data ? roleAllows(session.data.role, 'operator') : false;
  // The row whose reversal is being confirmed, by entry id.
  const [reversing, setReversing] = useState<string>();
  const history = trpc.wallets.transactions.useQuery(
    { walletId, limit: HISTORY_PAGE_SIZE, cursor: pages.cursor, type, metadata },
    { placeholderData: keepPreviousData },
  );

  const filter = (
    <div className="flex flex-wrap items-start gap-4">
      <MetadataFilter
        onChange={(filter) => {
          setMetadata(filter);
          pages.reset();
        }}
      />
      <div className="flex items-center gap-2">
        <label htmlFor={filterId} className="text-sm font-medium text-slate-700">
          Type
        </label>
        <select
          id={filterId}
          value={type ?? ''}
          onChange={(event) => {
            const parsed = entryTypeSchema.safeParse(event.target.value);
            setType(parsed.success ? parsed.data : undefined);
            pages.reset();
          }}
          className={cx(inputClass, 'w-auto py-1.5')}
        >
          <option value="">All movements</option>
          {entryTypeSchema.options.map((option) => (
            <option key={option} value={option}>
              {ENTRY_TYPE_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );

  return (
    <Card
      title="History"
      description="Every movement of this wallet, newest first."
      actions={filter}
    >
      <PagedTable
        query={history}
        pages={pages}
        what="the history"
        loading="Loading history…"
        empty={
          metadata
            ? 'No movements carry this metadata.'
            : type
              ? `No ${ENTRY_TYPE_LABELS[type].toLowerCase()} movements.`
              : 'No movements yet. Fund the wallet to start its history.'
        }
        caption="Movements of this wallet, newest first"
        columns={HISTORY_COLUMNS}
        className="min-w-[68rem]"
        pagerLabel="History pages"
        fetching={history.isPlaceholderData}
        busy={history.isPlaceholderData}
      >
        {(items) =>
          items.map((entry) => (
            <HistoryRow
              key={entry.id}
              entry={entry}
              currency={currency}
              canReverse={canReverse}
              reversing={reversing === entry.id}
              onReverse={() => {
                setReversing(entry.id);
              }}
              onClose={() => {
                setReversing(undefined);
              }}
            />
          ))
        }
      </PagedTable>
    </Card>
  );
}

interface HistoryRowProps {
  entry: Entry;
  currency: CurrencyCode;
  canReverse: boolean;
  reversing: boolean;
  onReverse: () => void;
  onClose: () => void;
}

function HistoryRow(props: HistoryRowProps) {
  const { entry, currency, reversing } = props;
  const row = <MovementRow {...props} />;
  if (!reversing) return row;
  return (
    <>
      {row}
      <tr data-reversing={entry.id} className="bg-slate-50">
        <td colSpan={HISTORY_COLUMNS.length} className="px-4 py-4 sm:px-5">
          <ReverseForm
            transactionId={transactionIdOf(entry)}
            remaining={remainingOf(entry).text}
            currency={currency}
            onClose={props.onClose}
          />
        </td>
      </tr>
    </>
  );
}

function MovementRow({ entry, currency, canReverse, reversing, onReverse }: HistoryRowProps) {
  const sign = signOf(entry.type);
  return (
    <tr
      data-entry-id={entry.id}
      id={`transaction-${transactionIdOf(entry)}`}
      className="align-top hover:bg-slate-50"
    >
      <td className="tabular px-4 py-2.5 whitespace-nowrap text-slate-600 sm:px-5">
        <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
      </td>
      <td className="px-3 py-2.5">
        <EntryTypeBadge type={entry.type} />
      </td>
      <td
        className={cx(
          'tabular px-3 py-2.5 text-right font-medium whitespace-nowrap',
          sign === '+' ? 'text-emerald-700' : 'text-amber-800',
        )}
      >
        {sign}
        {formatAmount(entry.amount, currency)}
      </td>
      <td className="tabular px-3 py-2.5 text-right whitespace-nowrap text-slate-600">
        {formatAmount(entry.balanceBefore, currency)}
      </td>
      <td className="tabular px-3 py-2.5 text-right font-medium whitespace-nowrap">
        {formatAmount(entry.balanceAfter, currency)}
      </td>
      <td className="px-3 py-2.5 whitespace-nowrap">
        {entry.counterpartyWalletId ? (
          <WalletLink walletId={entry.counterpartyWalletId} />
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </td>
      <td className="max-w-72 px-3 py-2.5 break-words text-slate-700">
        {entry.description ?? <span className="text-slate-400">—</span>}
      </td>
      <td className="max-w-64 px-3 py-2.5 text-xs text-slate-700" data-metadata>
        <MetadataPairs metadata={entry.metadata} />
      </td>
      <td className="px-4 py-2.5 whitespace-nowrap sm:px-5">
        <ReversalCell
          entry={entry}
          currency={currency}
          canReverse={canReverse}
          reversing={reversing}
          onReverse={onReverse}
        />
      </td>
    </tr>
  );
}

function MetadataPairs({ metadata }: { metadata: Metadata }) {
  const pairs = metadataPairs(metadata);
  if (pairs.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {pairs.map((pair) => (
        <li key={pair} className="font-mono break-all">
          {pair}
        </li>
      ))}
    </ul>
  );
}
