'use client';

import type { ReactNode } from 'react';

import { formatCount, formatDateTime } from '~/lib/format';
import { decimalDifference, formatMoney } from '~/lib/money';
import type { CurrencyTotal, LedgerCheck, Violation } from '~/trpc/react';

import { DataTable, type Column } from '../data-table';
import { LoadProblem } from '../load-problem';
import { PageHeader } from '../page-header';
import { Alert, Badge, Button, Card, cx, Placeholder, Spinner } from '../ui';
import { WalletLink } from '../wallet-link';
import { useLedgerCheck, VIOLATION_KINDS } from './ledger-check';

const TOTALS_COLUMNS: Column[] = [
  { label: 'Currency' },
  { label: 'Wallets', align: 'right', wideOnly: true },
  { label: 'Balances', align: 'right' },
  { label: 'Fundings', align: 'right' },
  { label: 'Status', wideOnly: true },
];

const VIOLATIONS_COLUMNS: Column[] = [
  { label: 'Kind' },
  { label: 'Wallets' },
  { label: 'Detail', wideOnly: true },
];

/** What the check proves when it finds nothing, in the order the ledger promises it. */
const PROMISES = [
  'No wallet holds a negative balance.',
  'Every balance is the sum of the wallet’s movements and the balance after its latest one.',
  'Every wallet’s movements form an unbroken chain.',
  'Every transfer is one payment out and one payment in, of the same amount.',
  'In every currency, the balances add up to the money funded.',
];

export function ReconciliationPage() {
  const check = useLedgerCheck();
  const running = check.isFetching;
  const run = () => void check.refetch();

  return (
    <div className="space-y-6">
      <PageHeader
        title="Reconciliation"
        description="Checks every promise of the ledger in one consistent snapshot. It reads the whole ledger, so it runs only when you ask."
      >
        <Button onClick={run} pending={running} pendingLabel="Checking…">
          Run check
        </Button>
      </PageHeader>

      {check.data === undefined ? (
        <Card title="Last result">
          {running ? (
            <Placeholder busy>Checking the whole ledger…</Placeholder>
          ) : check.isError ? (
            <LoadProblem what="the check’s result" error={check.error} onRetry={run} />
          ) : (
            <Placeholder>
              No check has run in this session yet. Run one to see whether the ledger reconciles.
            </Placeholder>
          )}
        </Card>
      ) : (
        <>
          {(running || check.isError) && (
            <div className="space-y-3">
              {running ? (
                <Alert tone="info">
                  <span className="flex items-center gap-2">
                    <Spinner />
                    <span>
                      Checking the whole ledger again… The result below is from{' '}
                      {formatDateTime(check.data.checkedAt)}.
                    </span>
                  </span>
                </Alert>
              ) : (
                <>
                  <LoadProblem what="a new result" error={check.error} onRetry={run} />
                  <p className="text-sm text-slate-600">
                    The result below is from the check at {formatDateTime(check.data.checkedAt)}.
                  </p>
                </>
              )}
            </div>
          )}
          <CheckResult result={check.data} stale={running} />
        </>
      )}
    </div>
  );
}

function CheckResult({ result, stale }: { result: LedgerCheck; stale: boolean }) {
  const count = result.violations.length;
  return (
    <div
      className={cx('space-y-6 transition-opacity', stale && 'opacity-60')}
      aria-busy={stale || undefined}
    >
      <Card
        title="Last result"
        description={
          <>
            Checked at{' '}
            <time dateTime={result.checkedAt.toISOString()} className="tabular">
              {formatDateTime(result.checkedAt)}
            </time>
            , in one snapshot of the ledger.
          </>
        }
      >
        <div className="space-y-4">
          {count === 0 ? (
            <Alert tone="success">
              <span className="font-semibold">No violations.</span> Every check holds.
            </Alert>
          ) : (
            <Alert tone="error">
              <span className="font-semibold">
                {formatCount(count)} violation{count === 1 ? '' : 's'} found.
              </span>{' '}
              The ledger does not reconcile: see each one below.
            </Alert>
          )}
          <dl className="grid grid-cols-3 gap-2 sm:gap-3">
            <Stat label="Wallets">{formatCount(result.walletCount)}</Stat>
            <Stat label="Movements">{formatCount(result.entryCount)}</Stat>
            <Stat label="Violations">{formatCount(count)}</Stat>
          </dl>
        </div>
      </Card>
      <TotalsCard totals={result.totals} />
      <ViolationsCard violations={result.violations} truncated={result.truncated} />
    </div>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-slate-100 bg-slate-50 px-3 py-2">
      <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="tabular mt-0.5 text-lg font-semibold text-slate-900">{children}</dd>
    </div>
  );
}

function TotalsCard({ totals }: { totals: CurrencyTotal[] }) {
  return (
    <Card
      title="Totals per currency"
      description="Transfers only move money, so the balances of a currency must add up to what was funded into it."
    >
      {totals.length === 0 ? (
        <Placeholder>No wallets yet: there is no money to reconcile.</Placeholder>
      ) : (
        <DataTable
          caption="Balances against fundings, per currency"
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
  const { currency, balances, fundings } = total;
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
      <td className="tabular px-3 py-2.5 text-right font-medium whitespace-nowrap max-sm:pr-4">
        {formatMoney(fundings, currency)}
      </td>
      <td className="hidden px-4 py-2.5 sm:table-cell sm:px-5">
        <BalanceStatus total={total} />
      </td>
    </tr>
  );
}

/** "Balanced", or "Mismatch" with the exact difference. */
function BalanceStatus({ total }: { total: CurrencyTotal }) {
  const { currency, balances, fundings } = total;
  // Both are the API's canonical text in the currency's digits: equal text, equal amounts.
  if (balances === fundings) {
    return (
      <Badge tone="emerald">
        <span aria-hidden="true">✓</span> Balanced
      </Badge>
    );
  }
  const difference = decimalDifference(balances, fundings, currency);
  return (
    <div className="space-y-1">
      <Badge tone="red">
        <span aria-hidden="true">✕</span> Mismatch
      </Badge>
      {difference !== undefined && (
        <p className="text-xs text-red-800">
          {difference.startsWith('-')
            ? `Balances fall short by ${formatMoney(difference.slice(1), currency)}`
            : `Balances exceed fundings by ${formatMoney(difference, currency)}`}
        </p>
      )}
    </div>
  );
}

function ViolationsCard({
  violations,
  truncated,
}: {
  violations: Violation[];
  truncated: boolean;
}) {
  return (
    <Card
      title="Violations"
      description={
        violations.length === 0
          ? 'Every promise the ledger makes held in this snapshot.'
          : `Each broken promise, with the wallets involved. Open a wallet to audit its history.${
              truncated ? ` Only the first ${violations.length} are listed: there are more.` : ''
            }`
      }
    >
      {violations.length === 0 ? (
        <div role="status" className="flex items-start gap-3">
          <span
            aria-hidden="true"
            className="grid size-9 shrink-0 place-items-center rounded-full bg-emerald-100 font-bold text-emerald-700"
          >
            ✓
          </span>
          <div>
            <p className="font-semibold text-slate-900">No violations</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-600">
              {PROMISES.map((promise) => (
                <li key={promise}>{promise}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : (
        <DataTable
          caption="Violations found by the check"
          columns={VIOLATIONS_COLUMNS}
          className="sm:min-w-[40rem]"
        >
          {violations.map((violation, index) => (
            <ViolationRow key={index} violation={violation} />
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function ViolationRow({ violation }: { violation: Violation }) {
  const kind = VIOLATION_KINDS[violation.kind];
  return (
    <tr data-violation-kind={violation.kind} className="align-top hover:bg-slate-50">
      <td className="max-w-64 px-4 py-2.5 sm:px-5">
        <div className="font-medium text-red-800">{kind.label}</div>
        <div className="text-xs text-slate-500">{kind.meaning}</div>
        {/* On a narrow screen the detail goes under the kind, not into a third column. */}
        <div className="mt-1 break-words text-slate-700 sm:hidden">{violation.detail}</div>
      </td>
      <td className="px-3 py-2.5 max-sm:pr-4">
        {violation.walletIds.length === 0 ? (
          <span className="text-slate-500">Whole currency</span>
        ) : (
          <ul className="space-y-0.5">
            {violation.walletIds.map((walletId, index) => (
              <li key={`${String(index)}-${walletId}`}>
                <WalletLink walletId={walletId} />
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="hidden px-4 py-2.5 break-words text-slate-700 sm:table-cell sm:px-5">
        {violation.detail}
      </td>
    </tr>
  );
}
