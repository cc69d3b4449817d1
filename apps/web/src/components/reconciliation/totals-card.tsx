import { formatCount } from '~/lib/format';
import { decimalDifference, formatMoney } from '~/lib/money';
import type { CurrencyTotal } from '~/trpc/react';

import { DataTable, type Column } from '../data-table';
import { Badge, Card, Placeholder } from '../ui';

const TOTALS_COLUMNS: Column[] = [
  { label: 'Currency' },
  { label: 'Wallets', align: 'right', wideOnly: true },
  { label: 'Balances', align: 'right' },
  { label: 'Fundings', align: 'right' },
  { label: 'Withdrawals', align: 'right' },
  { label: 'Status', wideOnly: true },
];

export function TotalsCard({ totals }: { totals: CurrencyTotal[] }) {
  return (
    <Card
      title="Totals per currency"
      description="Transfers only move money, so the balances of a currency must add up to what was funded into it less what was withdrawn."
    >
      {totals.length === 0 ? (
        <Placeholder>No wallets yet: there is no money to reconcile.</Placeholder>
      ) : (
        <DataTable
          caption="Balances against fundings and withdrawals, per currency"
          columns={TOTALS_COLUMNS}
          className="sm:min-w-[36rem]"
        >
          {totals.map((total) => (
            <TotalsRow key={total.currency} total={total} />
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function TotalsRow({ total }: { total: CurrencyTotal }) {
  const { currency, balances, fundings, withdrawals } = total;
  const wallets = formatCount(total.walletCount);
  // On a narrow screen the wallet count and the status go under the currency, so the
  // marker is never scrolled out of sight.
  return (
    <tr data-currency={currency} className="align-top hover:bg-slate-50">
      <th scope="row" className="px-4 py-2.5 text-left font-semibold text-slate-900 sm:px-5">
        {currency}
        <div className="space-y-1 font-normal sm:hidden">
          <div className="text-xs text-slate-500">
            {wallets} wallet{total.walletCount === 1 ? '' : 's'}
          </div>
          <BalanceStatus total={total} />
        </div>
      </th>
      <td className="tabular hidden px-3 py-2.5 text-right sm:table-cell">{wallets}</td>
      <td className="tabular px-3 py-2.5 text-right font-medium whitespace-nowrap">
        {formatMoney(balances, currency)}
      </td>
      <td className="tabular px-3 py-2.5 text-right font-medium whitespace-nowrap">
        {formatMoney(fundings, currency)}
      </td>
      <td className="tabular px-3 py-2.5 text-right font-medium whitespace-nowrap max-sm:pr-4">
        {formatMoney(withdrawals, currency)}
      </td>
      <td className="hidden px-4 py-2.5 sm:table-cell sm:px-5">
        <BalanceStatus total={total} />
      </td>
    </tr>
  );
}

/** "Balanced" (balances = fundings − withdrawals), or "Mismatch" with the exact difference. */
function BalanceStatus({ total }: { total: CurrencyTotal }) {
  const { currency, balances, fundings, withdrawals } = total;
  // All are the API's canonical text in the currency's digits: exact minor-unit arithmetic.
  const kept = decimalDifference(fundings, withdrawals, currency) ?? fundings;
  if (balances === kept) {
    return (
      <Badge tone="emerald">
        <span aria-hidden="true">✓</span> Balanced
      </Badge>
    );
  }
  const difference = decimalDifference(balances, kept, currency);
  return (
    <div className="space-y-1">
      <Badge tone="red">
        <span aria-hidden="true">✕</span> Mismatch
      </Badge>
      {difference !== undefined && (
        <p className="text-xs text-red-800">
          {difference.startsWith('-')
            ? `Balances fall short by ${formatMoney(difference.slice(1), currency)}`
            : `Balances exceed fundings less withdrawals by ${formatMoney(difference, currency)}`}
        </p>
      )}
    </div>
  );
}
