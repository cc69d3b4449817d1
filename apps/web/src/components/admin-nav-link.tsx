'use client';

import { roleAllows } from '@wallet/contract';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

import { SIGN_IN_PATH } from '~/trpc/csrf';
import { trpc } from '~/trpc/react';

import { NavLink } from './nav-link';

/** A link of the main navigation shown to admins only (the page behind it is theirs alone). */
export function AdminNavLink({ href, children }: { href: string; children: ReactNode }) {
  const onSignIn = usePathname() === SIGN_IN_PATH;
  const session = trpc.auth.session.useQuery(undefined, { enabled: !onSignIn, retry: false });
  if (onSignIn || !session.data || !roleAllows(session.data.role, 'admin')) return null;
  return <NavLink href={href}>{children}</NavLink>;
}
