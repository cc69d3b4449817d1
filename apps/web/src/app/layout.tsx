import '@fontsource-variable/inter';
import './globals.css';

import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

import { SessionMenu } from '~/components/access/session-menu';
import { AdminNavLink } from '~/components/admin-nav-link';
import { NavLink } from '~/components/nav-link';
import { TRPCProvider } from '~/trpc/provider';

export const metadata: Metadata = {
  title: { default: 'Wallet ledger · Operations', template: '%s · Wallet ledger' },
  description:
    'Operate wallets: create, fund, transfer and audit their history, and reconcile the ledger.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <TRPCProvider>
          <header className="border-b border-slate-800 bg-slate-900 text-white">
            <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:gap-6 sm:px-6">
              <Link
                href="/wallets"
                className="flex shrink-0 items-center gap-2 font-semibold tracking-tight"
              >
                <span
                  aria-hidden="true"
                  className="grid size-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold"
                >
                  W
                </span>
                <span>
                  Wallet ledger{' '}
                  <span className="hidden font-normal text-slate-400 sm:inline">Operations</span>
                </span>
              </Link>
              <nav
                aria-label="Main"
                className="-my-2 flex min-w-0 gap-1 overflow-x-auto py-2 text-sm"
              >
                <NavLink href="/wallets">Wallets</NavLink>
                <NavLink href="/reconciliation">Reconciliation</NavLink>
                <NavLink href="/audit">Audit log</NavLink>
                <NavLink href="/admin">Access</NavLink>
                <AdminNavLink href="/webhooks">Webhooks</AdminNavLink>
              </nav>
              <SessionMenu />
            </div>
          </header>
          <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
            {children}
          </main>
        </TRPCProvider>
      </body>
    </html>
  );
}
