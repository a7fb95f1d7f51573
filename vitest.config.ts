import { defineConfig } from 'vitest/config';

// One `vitest run` runs every project: core and API unit tests, integration
// tests against the real PostgreSQL and Redis, the Stripe emulator, the SDK
// and the web apps.
export default defineConfig({
  test: {
    reporters: ['default', './tooling/vitest/summary-reporter.ts'],
    // vitest's default on this 2-core machine is one worker (cores - 1), but most files here wait on PostgreSQL,
    // Redis, a spawned process or a browser rather than compute: three at a time keep both cores busy.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/core/src/**/*.test.ts', 'packages/db/src/**/*.test.ts', 'apps/api/src/**/*.test.ts', 'tooling/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'apps/api/src/**/*.int.test.ts',
            'bench/**/*.int.test.ts',
            'examples/*/*.int.test.ts',
            'scripts/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**', 'packages/sdk/**', 'packages/stripe-emulator/**'],
          globalSetup: ['./vitest.global-setup.ts'],
          // Sized for a busy 2-core machine: several files here spawn the API, the worker, the CLI, Prisma or Chromium
          // (tooling/vitest/spawn-timeouts.test.ts holds every spawning test to at least 60 s).
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      'packages/stripe-emulator',
      'packages/sdk',
      'apps/billing-web',
      'apps/billing-web/e2e/vitest.config.ts',
      'apps/admin-web/e2e/vitest.config.ts',
    ],
  },
});
