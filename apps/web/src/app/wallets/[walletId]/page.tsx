import { walletIdSchema } from '@wallet/contract';
import type { Metadata } from 'next';
import Link from 'next/link';

import { PageHeader } from '~/components/page-header';
import { WalletView } from '~/components/wallet/wallet-view';
import { shortId } from '~/lib/format';

interface WalletPageProps {
  params: Promise<{ walletId: string }>;
}

export async function generateMetadata({ params }: WalletPageProps): Promise<Metadata> {
  const { walletId } = await params;
  return { title: `Wallet ${shortId(walletId)}` };
}

export default async function WalletPage({ params }: WalletPageProps) {
  const { walletId } = await params;
  const parsed = walletIdSchema.safeParse(decodeURIComponent(walletId).toLowerCase());
  if (!parsed.success) {
    return (
      <div className="space-y-4">
        <PageHeader title="Not a wallet id" />
        <p className="text-slate-600">
          Wallet ids are UUIDs such as{' '}
          <span className="font-mono">0193c4e2-7b1f-7c3a-9e4d-2f6a8b0c1d2e</span>.{' '}
          <Link href="/wallets" className="font-semibold text-indigo-700 hover:underline">
            Back to the wallets
          </Link>
        </p>
      </div>
    );
  }
  return <WalletView key={parsed.data} walletId={parsed.data} />;
}
