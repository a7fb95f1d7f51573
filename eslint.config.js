// @ts-check
// One ESLint set-up for the whole repo (`pnpm lint`, one process over every
// package); the presets live in tooling/eslint/.
import { defineConfig, globalIgnores } from 'eslint/config';
import { coreBoundaries, react, restrictEnvAccess, tests, typescript } from './tooling/eslint/config.js';

export default defineConfig([
  // Build output, test and browser artifacts (all .gitignore'd) and generated code.
  globalIgnores([
    '**/dist/',
    '**/coverage/',
    '**/artifacts/',
    '**/.turbo/',
    // The Prisma client, written by `prisma generate`.
    'packages/db/src/generated/',
    // Written by packages/sdk/scripts/generate-types.ts; contract.test.ts compares it byte for byte.
    'packages/sdk/src/generated/openapi.ts',
  ]),
  typescript,
  restrictEnvAccess({
    allow: [
      // The one reader of the API's configuration.
      'apps/api/src/env.ts',
      // Tests and their harnesses set up servers and databases from the environment of the run.
      '**/*.test.{ts,tsx}',
      '**/src/testing/**',
      '**/e2e/**',
      'vitest.global-setup.ts',
      // Developer tools with their own small set of variables: scripts, benchmarks, the Stripe emulator's CLI.
      'scripts/**',
      'bench/**',
      'packages/stripe-emulator/src/main.ts',
      // The container healthcheck, a standalone script Docker runs beside the built API (PORT, REDIS_URL).
      'docker/healthcheck.mjs',
      // Example apps: standalone programs an integrator copies, configured from their own environment.
      'examples/*/server.js',
      // Tool configuration, and the offline Prisma schema engine the Prisma CLI spawns.
      '**/*.config.{js,ts}',
      'packages/db/engine/**',
    ],
  }),
  coreBoundaries(['packages/core/src/**/*.ts']),
  tests(['**/*.test.{ts,tsx}', '**/src/testing/**', '**/e2e/**', 'bench/**']),
  react(['apps/billing-web/src/**/*.{ts,tsx}', 'apps/admin-web/src/**/*.{ts,tsx}']),
]);
