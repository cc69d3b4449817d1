import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The quick-start test builds and starts the whole service (pnpm start).
    testTimeout: 300_000,
    hookTimeout: 60_000,
  },
});
