import { z } from 'zod';

/**
 * The e2e suite's settings, read once (the only reader of process.env in e2e/). Fixed,
 * uncommon ports by default: the Playwright config is loaded by every worker, so the
 * ports must be the same in all of them. Named PLAYWRIGHT_* because turbo passes those
 * through to tasks.
 */
const port = z.coerce.number().int().min(1).max(65535);

const e2eEnvSchema = z.object({
  PLAYWRIGHT_API_PORT: port.default(43_110),
  PLAYWRIGHT_WEB_PORT: port.default(43_111),
  /** Debian's chromium; Playwright cannot download its own browsers here. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** An existing PostgreSQL server to create the e2e database on; else a temporary one. */
  TEST_DATABASE_URL: z.url().optional(),
  CI: z.string().optional(),
  /** "1": the dashboard test also copies its screenshot to docs/dashboard.png (`screenshot:docs`). */
  PLAYWRIGHT_DOCS_SCREENSHOT: z.enum(['0', '1']).optional(),
});

export const e2eEnv = e2eEnvSchema.parse(process.env);

export const apiUrl = `http://127.0.0.1:${e2eEnv.PLAYWRIGHT_API_PORT}`;
export const webUrl = `http://127.0.0.1:${e2eEnv.PLAYWRIGHT_WEB_PORT}`;

/**
 * The throwaway API's first-start admin, fixed so every Playwright process knows it (the
 * config is loaded by each worker). A throwaway database: not a secret anywhere.
 */
export const E2E_ADMIN = {
  username: 'admin',
  password: 'e2e admin password',
  apiKey: `wlk_${'e2e0'.repeat(8)}_${'E2eAdminKey0'.repeat(3)}Ab12345`,
};

/** Longer than any e2e run: a failed webhook attempt is retried only by the admin's Retry. */
export const WEBHOOK_FIRST_RETRY_DELAY_MS = 3_600_000;

/** Where the signed-in browser state is kept between the setup project and the tests. */
export const ADMIN_STORAGE_STATE = 'e2e/.auth/admin.json';

/** What the throwaway API is started with (it makes its own DATABASE_URL). */
export function apiProcessEnv(): Record<string, string> {
  return {
    ADMIN_USERNAME: E2E_ADMIN.username,
    ADMIN_PASSWORD: E2E_ADMIN.password,
    ADMIN_API_KEY: E2E_ADMIN.apiKey,
    // The dashboard's origin sends the cookie-authenticated writes.
    TRUSTED_ORIGINS: webUrl,
    RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
    // The webhook spec's receivers listen on loopback, which the SSRF guard refuses by default.
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    // A failed attempt waits for the admin's Retry (the spec checks that Retry delivers): the
    // automatic retry comes after the run, not seconds later while the test looks.
    WEBHOOKS_RETRY_FIRST_DELAY_MS: String(WEBHOOK_FIRST_RETRY_DELAY_MS),
    ...(e2eEnv.TEST_DATABASE_URL ? { TEST_DATABASE_URL: e2eEnv.TEST_DATABASE_URL } : {}),
    PORT: String(e2eEnv.PLAYWRIGHT_API_PORT),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  };
}
