/** The dashboard's session cookie. `__Host-` would forbid Domain and force Secure+Path=/. */
export const SESSION_COOKIE = 'wallet_session';

export interface SessionCookieOptions {
  /** Secure (HTTPS only). Browsers treat http://localhost and 127.0.0.1 as secure too. */
  secure: boolean;
}

/**
 * Set-Cookie for a session: HttpOnly (no script reads it), SameSite=Strict (no other
 * site's page sends it), Path=/, and a Max-Age no longer than the session.
 */
export function sessionCookie(token: string, maxAgeSeconds: number, options: SessionCookieOptions) {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(options: SessionCookieOptions): string {
  return sessionCookie('', 0, options);
}

/** The session token from a Cookie header, if any. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const value = rest.join('=');
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
