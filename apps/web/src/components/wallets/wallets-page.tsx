'use client';

import { LiveUpdates } from '../live-updates';
import { PageHeader } from '../page-header';
import { LastCheckStatus } from '../reconciliation/last-check-status';
import { CreateWalletCard } from './create-wallet-card';
import { FindWalletCard } from './find-wallet-card';
import { LedgerTotals } from './ledger-totals';
import { WalletsTable } from './wallets-table';

export function WalletsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Wallets"
        description="Every wallet the ledger holds, with its balance. Open one to fund it, transfer from it or audit its history."
      >
        <div className="flex flex-wrap items-center gap-4">
          <LiveUpdates />
          <LastCheckStatus />
        </div>
      </PageHeader>
      <LedgerTotals />
      <div className="grid gap-6 md:grid-cols-2">
        <CreateWalletCard />
        <FindWalletCard />
      </div>
      <WalletsTable />
    </div>
  );
}
