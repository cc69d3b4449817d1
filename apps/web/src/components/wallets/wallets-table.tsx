'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { PAGE_SIZE_DEFAULT, WALLET_STATUSES, type WalletStatus } from '@wallet/contract';
import Link from 'next/link';
import { useState } from 'react';

import { formatDateTime, shortId } from '~/lib/format';
import { parseMetadataSearch } from '~/lib/metadata-text';
import { formatAmount } from '~/lib/money';
import { trpc } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { useCursorPages } from '../pager';
import { Alert, Card, inputClass } from '../ui';
import { WalletStatusBadge } from '../wallet/wallet-status-card';

const WALLETS_PAGE_SIZE = PAGE_SIZE_DEFAULT;

const WALLETS_COLUMNS: Column[] = [
  { label: 'Wallet' },
  { label: 'Currency' },
  { label: 'Status' },
  { label: 'Balance', align: 'right' },
  { label: 'Created', align: 'right' },
];

export function WalletsTable() {
  const pages = useCursorPages();
  const [status, setStatus] = useState<WalletStatus | ''>('');
  const [search, setSearch] = useState('');
  const metadata = parseMetadataSearch(search);
  const list = trpc.wallets.list.useQuery(
    {
      limit: WALLETS_PAGE_SIZE,
      cursor: pages.cursor,
      ...(status === '' ? {} : { status }),
      ...(metadata.ok && metadata.value ? { metadata: metadata.value } : {}),
    },
    { placeholderData: keepPreviousData },
  );

  return (
    <Card title="All wallets" description="Newest first.">
      <div className="mb-4 grid gap-3 sm:grid-cols-[12rem_1fr]">
        <label className="text-sm font-medium text-slate-700">
          Status
          <select
            className={inputClass}
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as WalletStatus | '');
              pages.reset();
            }}
          >
            <option value="">Any</option>
            {WALLET_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">
          Metadata (key=value, all must match)
          <input
            className={inputClass}
            value={search}
            placeholder="customer_id=C-1042"
            onChange={(event) => {
              setSearch(event.target.value);
              pages.reset();
            }}
          />
        </label>
        {!metadata.ok && <Alert tone="error">{metadata.error}</Alert>}
      </div>
      <PagedTable
        query={list}
        pages={pages}
        what="the wallets"
        loading="Loading wallets…"
        empty={
          status === '' && search.trim() === ''
            ? 'No wallets yet. Create the first one above.'
            : 'No wallets match these filters.'
        }
        caption="Wallets, newest first"
        columns={WALLETS_COLUMNS}
        className="min-w-[34rem]"
        pagerLabel="Wallet pages"
        fetching={list.isPlaceholderData}
      >
        {(items) =>
          items.map((wallet) => (
            <tr key={wallet.id} data-wallet-id={wallet.id} className="hover:bg-slate-50">
              <td className="px-4 py-2.5 sm:px-5">
                <Link
                  href={`/wallets/${wallet.id}`}
                  className="font-mono font-medium text-indigo-700 hover:underline"
                  aria-label={`Wallet ${wallet.id}`}
                  title={wallet.id}
                >
                  <span className="md:hidden">{shortId(wallet.id)}</span>
                  <span className="hidden md:inline">{wallet.id}</span>
                </Link>
              </td>
              <td className="px-3 py-2.5">{wallet.currency}</td>
              <td className="px-3 py-2.5">
                <WalletStatusBadge status={wallet.status} />
              </td>
              <td className="tabular px-3 py-2.5 text-right font-medium whitespace-nowrap">
                {formatAmount(wallet.balance, wallet.currency)}
              </td>
              <td className="tabular px-4 py-2.5 text-right whitespace-nowrap text-slate-600 sm:px-5">
                <time dateTime={wallet.createdAt.toISOString()}>
                  {formatDateTime(wallet.createdAt)}
                </time>
              </td>
            </tr>
          ))
        }
      </PagedTable>
    </Card>
  );
}
