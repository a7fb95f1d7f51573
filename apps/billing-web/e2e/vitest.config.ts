import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: playwright-core driving Debian's Chromium through
// the real API (serving the built app under /billing), its in-process worker,
// PostgreSQL, Redis and the Stripe emulator. Root project entry:
// 'apps/billing-web/e2e/vitest.config.ts'.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    name: 'billing-web-e2e',
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['./e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file runs its own API, emulator and browser: a few at a time is plenty.
    maxWorkers: 3,
  },
});
