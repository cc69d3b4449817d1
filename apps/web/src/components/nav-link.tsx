'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

import { cx } from './ui';

/** A link of the main navigation, marked as the current page on its own section. */
export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={cx(
        'shrink-0 rounded-md px-2.5 py-1.5 whitespace-nowrap hover:bg-slate-800 hover:text-white sm:px-3',
        current ? 'bg-slate-800 text-white' : 'text-slate-200',
      )}
    >
      {children}
    </Link>
  );
}
