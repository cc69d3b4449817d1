import Link from 'next/link';

import { shortId } from '~/lib/format';

import { cx } from './ui';

/** A link to a wallet's page, shown by its short id; the full id is its name and title. */
export function WalletLink({ walletId, className }: { walletId: string; className?: string }) {
  return (
    <Link
      href={`/wallets/${walletId}`}
      className={cx('font-mono text-indigo-700 hover:underline', className)}
      aria-label={`Wallet ${walletId}`}
      title={walletId}
    >
      {shortId(walletId)}
    </Link>
  );
}
