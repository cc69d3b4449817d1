'use client';

import { usePathname } from 'next/navigation';
import { useEffect } from 'react';

import { setCsrfToken, SIGN_IN_PATH } from '~/trpc/csrf';
import { trpc } from '~/trpc/react';

import { Button } from '../ui';

/** Who is signed in, and the way out. Nothing on the sign-in page itself. */
export function SessionMenu() {
  const pathname = usePathname();
  const onSignIn = pathname === SIGN_IN_PATH;
  const session = trpc.auth.session.useQuery(undefined, { enabled: !onSignIn, retry: false });
  const signOut = trpc.auth.signOut.useMutation();
  const csrfToken = session.data?.csrfToken ?? null;

  useEffect(() => {
    if (csrfToken !== null) setCsrfToken(csrfToken);
  }, [csrfToken]);

  if (onSignIn || !session.data) return null;
  return (
    <div className="ml-auto flex shrink-0 items-center gap-3 text-sm">
      <span className="hidden text-slate-300 sm:inline" data-testid="signed-in-as">
        <span className="font-medium text-white">{session.data.name}</span> · {session.data.role}
      </span>
      <Button
        variant="secondary"
        className="min-h-8 py-1"
        pending={signOut.isPending}
        onClick={() => {
          void signOut.mutateAsync().finally(() => {
            setCsrfToken(null);
            window.location.assign(SIGN_IN_PATH);
          });
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
