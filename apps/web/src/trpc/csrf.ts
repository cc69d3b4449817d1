/**
 * The session's CSRF token, which every cookie-authenticated mutation sends in
 * X-CSRF-Token. It lives in memory only (never in storage a script of another page could
 * read); after a reload it is fetched again from auth.session.
 */
let token: string | null = null;

export function setCsrfToken(value: string | null): void {
  token = value;
}

/** The token, fetched from the session when this page has not seen it yet. */
export async function csrfToken(): Promise<string | null> {
  if (token !== null) return token;
  const response = await fetch('/trpc/auth.session', { credentials: 'same-origin' });
  if (!response.ok) return null;
  const body = (await response.json()) as {
    result?: { data?: { json?: { csrfToken?: unknown } } };
  };
  const fetched = body.result?.data?.json?.csrfToken;
  token = typeof fetched === 'string' ? fetched : null;
  return token;
}

export const SIGN_IN_PATH = '/sign-in';

/** Off to the sign-in page, coming back here afterwards. */
export function redirectToSignIn(): void {
  const { pathname, search } = window.location;
  if (pathname === SIGN_IN_PATH) return;
  window.location.assign(`${SIGN_IN_PATH}?next=${encodeURIComponent(pathname + search)}`);
}
