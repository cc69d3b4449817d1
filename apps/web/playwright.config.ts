import { existsSync } from 'node:fs';

import { defineConfig, devices } from '@playwright/test';

import { ADMIN_STORAGE_STATE, apiProcessEnv, apiUrl, e2eEnv, webUrl } from './e2e/env';

/** Debian's chromium where it is installed (Playwright cannot download browsers here). */
const executablePath = existsSync(e2eEnv.CHROMIUM_PATH) ? e2eEnv.CHROMIUM_PATH : undefined;

const SERVER_START_TIMEOUT_MS = 120_000;

const CHROMIUM = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1280, height: 900 },
  launchOptions: {
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: e2eEnv.CI !== undefined,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: e2eEnv.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: webUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Signs in once as the admin; the tests start from that browser state.
    { name: 'setup', testMatch: /auth\.setup\.ts/, use: { ...CHROMIUM } },
    {
      name: 'chromium',
      dependencies: ['setup'],
      use: {
        ...CHROMIUM,
        storageState: ADMIN_STORAGE_STATE,
      },
    },
  ],
  webServer: [
    {
      name: 'api',
      // The real API on a throwaway database (apps/api/scripts/throwaway-server.ts).
      command: 'node --import tsx ../api/scripts/throwaway-server.ts',
      env: apiProcessEnv(),
      url: `${apiUrl}/healthz`,
      timeout: SERVER_START_TIMEOUT_MS,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      name: 'web',
      command: `next start --hostname 127.0.0.1 --port ${e2eEnv.PLAYWRIGHT_WEB_PORT}`,
      url: `${webUrl}/sign-in`,
      env: { API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
      timeout: SERVER_START_TIMEOUT_MS,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],
});
