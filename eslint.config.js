// @ts-check
// One ESLint set-up for the whole repo (`pnpm lint`, one process over every
// package); the presets live in tooling/eslint/.
import { defineConfig, globalIgnores } from 'eslint/config';
import { react, tests, typescript } from './tooling/eslint/config.js';

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
  tests(['**/*.test.{ts,tsx}', '**/src/testing/**', '**/e2e/**', 'bench/**']),
  react(['apps/billing-web/src/**/*.{ts,tsx}', 'apps/admin-web/src/**/*.{ts,tsx}']),
]);
