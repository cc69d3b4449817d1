import { NextResponse, type NextRequest } from 'next/server';

/**
 * An optimistic check only: a page asked for without a session cookie goes to the
 * sign-in page first. The API is the real gate (it checks the session on every call);
 * this saves a page load that would end in a 401.
 */
const SESSION_COOKIE = 'wallet_session';

export function proxy(request: NextRequest) {
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const signIn = new URL('/sign-in', request.url);
  signIn.searchParams.set('next', request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Every page but the sign-in page; not /trpc (the API answers it), not Next's own files.
  matcher: ['/((?!sign-in|trpc|_next/|favicon.ico).*)'],
};
