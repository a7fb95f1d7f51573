import { defineConfig } from 'vitest/config';

// One project (the root vitest.config.ts lists it as 'packages/sdk'):
//   src/**/*.test.ts        unit tests against a fake fetch (fast)
//   test/package.test.ts    build, pack, install into a fresh project, run ESM + CJS + tsc
//   test/*.int.test.ts      the built SDK against the real API (needs apps/api's test harness + PostgreSQL)
export default defineConfig({
  test: {
    name: 'sdk',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    // test/ builds, packs, installs, runs tsc and starts the API: sized for a busy machine, not vitest's 5 s
    // (tooling/vitest/spawn-timeouts.test.ts). The unit tests take milliseconds either way.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
