import type { Violation } from '~/trpc/react';

import { DataTable, type Column } from '../data-table';
import { Card } from '../ui';
import { WalletLink } from '../wallet-link';
import { VIOLATION_KINDS } from './ledger-check';

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

export function ViolationsCard({
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
