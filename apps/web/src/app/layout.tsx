import '@fontsource-variable/inter';
import './globals.css';

import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

import { TRPCProvider } from '~/trpc/provider';

export const metadata: Metadata = {
  title: { default: 'Wallet ledger · Operations', template: '%s · Wallet ledger' },
  description: 'Operate wallets: create, fund, transfer and audit their history.',
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
        <header className="border-b border-slate-800 bg-slate-900 text-white">
          <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
            <Link href="/wallets" className="flex items-center gap-2 font-semibold tracking-tight">
              <span
                aria-hidden="true"
                className="grid size-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold"
              >
                W
              </span>
              <span>
                Wallet ledger <span className="font-normal text-slate-400">Operations</span>
              </span>
            </Link>
            <nav aria-label="Main" className="flex gap-1 text-sm">
              <Link
                href="/wallets"
                className="rounded-md px-3 py-1.5 text-slate-200 hover:bg-slate-800 hover:text-white"
              >
                Wallets
              </Link>
            </nav>
          </div>
        </header>
        <TRPCProvider>
          <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
            {children}
          </main>
        </TRPCProvider>
      </body>
    </html>
  );
}
