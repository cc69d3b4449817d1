'use client';

import { roleAllows } from '@wallet/contract';
import type { ReactNode } from 'react';

import { trpc } from '~/trpc/react';

import { Alert, Placeholder } from '../ui';

/**
 * A page for admins only: anyone else is told so instead of being shown forms the API would
 * refuse (it refuses them anyway: the role check is the API's, this only spares the trip).
 */
export function AdminOnly({ children }: { children: ReactNode }) {
  const session = trpc.auth.session.useQuery(undefined, { retry: false });
  if (session.isPending) return <Placeholder busy>Checking your access…</Placeholder>;
  if (!session.data || !roleAllows(session.data.role, 'admin')) {
    return (
      <Alert tone="error" className="max-w-xl">
        This page is for admins only. Ask an admin if you need a change here.
      </Alert>
    );
  }
  return <>{children}</>;
}
