import { apiEnvSchema, type ApiEnv } from '../env';
import type { RateLimitOptions } from './guard';

/** Who may do what and from where; every default is the env schema's (env.ts), defined there alone. */
export interface SecuritySettings {
  rateLimit: RateLimitOptions;
  /** Origins whose pages may send cookie-authenticated writes: the dashboard's. */
  trustedOrigins: string[];
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); others' is ignored. */
  trustedProxies: string[];
  cookieSecure: boolean;
  sessionTtlMs: number;
}

type SecurityEnv = Pick<
  ApiEnv,
  | 'RATE_LIMIT_PER_KEY_PER_MINUTE'
  | 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE'
  | 'RATE_LIMIT_SIGN_IN_PER_MINUTE'
  | 'RATE_LIMIT_WINDOW_MS'
  | 'TRUSTED_ORIGINS'
  | 'CORS_ORIGINS'
  | 'TRUSTED_PROXIES'
  | 'SESSION_COOKIE_SECURE'
  | 'SESSION_TTL_MINUTES'
>;

export function securitySettingsFrom(env: SecurityEnv): SecuritySettings {
  return {
    rateLimit: {
      perKey: env.RATE_LIMIT_PER_KEY_PER_MINUTE,
      perAddress: env.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
      signIn: env.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      windowMs: env.RATE_LIMIT_WINDOW_MS,
    },
    trustedOrigins: env.TRUSTED_ORIGINS,
    corsOrigins: env.CORS_ORIGINS,
    trustedProxies: env.TRUSTED_PROXIES,
    cookieSecure: env.SESSION_COOKIE_SECURE,
    sessionTtlMs: env.SESSION_TTL_MINUTES * 60_000,
  };
}

/** For servers built without main.ts (tests, createCaller): what an empty environment gives. */
export const DEFAULT_SECURITY: SecuritySettings = securitySettingsFrom(
  apiEnvSchema
    .pick({
      RATE_LIMIT_PER_KEY_PER_MINUTE: true,
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: true,
      RATE_LIMIT_SIGN_IN_PER_MINUTE: true,
      RATE_LIMIT_WINDOW_MS: true,
      TRUSTED_ORIGINS: true,
      CORS_ORIGINS: true,
      TRUSTED_PROXIES: true,
      SESSION_COOKIE_SECURE: true,
      SESSION_TTL_MINUTES: true,
    })
    .parse({}),
);
