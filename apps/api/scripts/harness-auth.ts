import { randomBytes } from 'node:crypto';

/**
 * The credential of the harnesses that start the API themselves (bench, bank test,
 * throwaway server): an admin API key made here, once per process, and given to the API
 * as ADMIN_API_KEY, so its first start on the fresh database creates exactly this key.
 * Rate limits are raised out of the way: a harness measures or attacks the ledger, not
 * the limiter.
 */
export const HARNESS_API_KEY = `wlk_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`;

export const HARNESS_AUTHORIZATION = { authorization: `Bearer ${HARNESS_API_KEY}` };

export const HARNESS_API_ENV: Record<string, string> = {
  ADMIN_API_KEY: HARNESS_API_KEY,
  RATE_LIMIT_PER_KEY_PER_MINUTE: '10000000',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000000',
};
