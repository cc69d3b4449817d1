'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { PAGE_SIZE_DEFAULT } from '@wallet/contract';
import Link from 'next/link';

import { formatDateTime, shortId } from '~/lib/format';
import { formatAmount } from '~/lib/money';
import { trpc } from '~/trpc/react';

import { type Column } from '../data-table';
import { PagedTable } from '../paged-table';
import { useCursorPages } from '../pager';
import { Card } from '../ui';

const WALLETS_PAGE_SIZE = PAGE_SIZE_DEFAULT;

const WALLETS_COLUMNS: Column[] = [
  { label: 'Wallet' },
  { label: 'Currency' },
  { label: 'Balance', align: 'right' },
  { label: 'Created', align: 'right' },
];

export function WalletsTable() {
  const pages = useCursorPages();
  const list = trpc.wallets.list.useQuery(
    { limit: WALLETS_PAGE_SIZE, cursor: pages.cursor },
    { placeholderData: keepPreviousData },
  );

  return (
    <Card title="All wallets" description="Newest first.">
      <PagedTable
        query={list}
        pages={pages}
        what="the wallets"
        loading="Loading wallets…"
        empty="No wallets yet. Create the first one above."
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
