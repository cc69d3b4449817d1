'use client';

import { CURRENCIES, roleAllows } from '@wallet/contract';
import Link from 'next/link';

import { ledgerCodeOf } from '~/lib/errors';
import { formatDateTime, shortId } from '~/lib/format';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { LiveUpdates } from '../live-updates';
import { PageHeader } from '../page-header';
import { LoadProblem } from '../load-problem';
import { Card, Placeholder } from '../ui';
import { AuditTrail } from './audit-trail';
import { BalanceChart } from './balance-chart';
import { CopyButton } from './copy-button';
import { FundForm } from './fund-form';
import { HistoryTable } from './history-table';
import { HoldsList } from './holds-list';
import { PlaceHoldForm } from './place-hold-form';
import { StatementCard } from './statement-card';
import { TransferForm } from './transfer-form';
import { WalletStatusCard, WalletStatusBadge } from './wallet-status-card';
import { WithdrawForm } from './withdraw-form';

export function WalletView({ walletId }: { walletId: string }) {
  const wallet = trpc.wallets.byId.useQuery({ walletId });

  if (wallet.isPending) {
    return (
      <div className="space-y-6">
        <Breadcrumb walletId={walletId} />
        <Placeholder busy>Loading wallet…</Placeholder>
      </div>
    );
  }
  if (wallet.isError) {
    const missing = ledgerCodeOf(wallet.error) === 'WALLET_NOT_FOUND';
    return (
      <div className="space-y-6">
        <Breadcrumb walletId={walletId} />
        <Card title={missing ? 'Wallet not found' : 'Could not load the wallet'}>
          {missing ? (
            <p className="text-sm text-slate-600">
              No wallet has the id <span className="font-mono break-all">{walletId}</span>.{' '}
              <Link href="/wallets" className="font-semibold text-indigo-700 hover:underline">
                Back to the wallets
              </Link>
            </p>
          ) : (
            <LoadProblem
              what="this wallet"
              error={wallet.error}
              onRetry={() => void wallet.refetch()}
            />
          )}
        </Card>
      </div>
    );
  }
  return <WalletLoaded wallet={wallet.data} />;
}

function Breadcrumb({ walletId }: { walletId: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
      <ol className="flex items-center gap-2">
        <li>
          <Link href="/wallets" className="hover:text-slate-800 hover:underline">
            Wallets
          </Link>
        </li>
        <li aria-hidden="true">/</li>
        <li aria-current="page" className="font-mono text-slate-700">
          {shortId(walletId)}
        </li>
      </ol>
    </nav>
  );
}

function WalletLoaded({ wallet }: { wallet: WalletDetail }) {
  return (
    <div className="space-y-6">
      <Breadcrumb walletId={wallet.id} />
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>Wallet</span>
            <WalletStatusBadge status={wallet.status} />
            <span className="font-mono text-base font-normal break-all text-slate-600 sm:text-lg">
              {wallet.id}
            </span>
          </span>
        }
        description="Fund it, transfer from it, and audit every movement."
      >
        <div className="flex flex-wrap items-center gap-4">
          <LiveUpdates walletId={wallet.id} />
          <CopyButton text={wallet.id} label="Copy wallet id" />
        </div>
      </PageHeader>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Balance" description={`Held in ${wallet.currency}.`}>
          <p
            className="tabular text-3xl font-semibold tracking-tight break-all text-slate-900"
            aria-live="polite"
          >
            {formatMoney(wallet.balance, wallet.currency)}
          </p>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 border-t border-slate-100 pt-4 text-sm">
            <dt className="text-slate-500">Held</dt>
            <dd className="tabular text-slate-800" data-testid="wallet-held">
              {formatMoney(wallet.held, wallet.currency)}
            </dd>
            <dt className="text-slate-500">Available</dt>
            <dd className="tabular font-semibold text-slate-900" data-testid="wallet-available">
              {formatMoney(wallet.available, wallet.currency)}
            </dd>
            <dt className="text-slate-500">Currency</dt>
            <dd className="text-slate-800">
              {wallet.currency} · {CURRENCIES[wallet.currency].name}
            </dd>
            <dt className="text-slate-500">Opened</dt>
            <dd className="tabular text-slate-800">
              <time dateTime={wallet.createdAt.toISOString()}>
                {formatDateTime(wallet.createdAt)}
              </time>
            </dd>
            <dt className="text-slate-500">Last change</dt>
            <dd className="tabular text-slate-800">
              <time dateTime={wallet.updatedAt.toISOString()}>
                {formatDateTime(wallet.updatedAt)}
              </time>
            </dd>
          </dl>
        </Card>
        <BalanceChart
          walletId={wallet.id}
          currency={wallet.currency}
          updatedAt={wallet.updatedAt}
          className="lg:col-span-2"
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <FundForm wallet={wallet} />
        <WithdrawForm wallet={wallet} />
        <TransferForm wallet={wallet} />
      </div>

      <StatusAndHolds wallet={wallet} />

      <HistoryTable walletId={wallet.id} currency={wallet.currency} />
      <StatementCard walletId={wallet.id} />
      <AuditTrail walletId={wallet.id} />
    </div>
  );
}

/**
 * Status and metadata (operators change them), and holds: the placement form and the
 * actions for operators; the list for every reader.
 */
function StatusAndHolds({ wallet }: { wallet: WalletDetail }) {
  const session = trpc.auth.session.useQuery(undefined, { retry: false });
  const canWrite = session.data ? roleAllows(session.data.role, 'operator') : false;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <WalletStatusCard wallet={wallet} canWrite={canWrite} />
      {canWrite && <PlaceHoldForm wallet={wallet} />}
      <HoldsList
        walletId={wallet.id}
        currency={wallet.currency}
        canWrite={canWrite}
        className={canWrite ? 'lg:col-span-3' : 'lg:col-span-2'}
      />
    </div>
  );
}
