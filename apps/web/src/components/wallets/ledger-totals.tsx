'use client';

import { formatMoney } from '~/lib/money';
import { trpc } from '~/trpc/react';

/** Money held per currency across all wallets: the first thing an operator checks. */
export function LedgerTotals() {
  const totals = trpc.ledger.totals.useQuery();
  if (!totals.data || totals.data.length === 0) return null;
  return (
    <section aria-label="Totals per currency">
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {totals.data.map((total) => (
          <li
            key={total.currency}
            className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm"
          >
            <div className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
              {total.currency} · {total.walletCount} wallet{total.walletCount === 1 ? '' : 's'}
            </div>
            <div className="tabular mt-1 text-xl font-semibold text-slate-900">
              {formatMoney(total.balances, total.currency)}
            </div>
            <div className="text-xs text-slate-500">held in total</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
