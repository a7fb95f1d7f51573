import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Browser end-to-end tests: playwright-core driving Debian's Chromium through
// the real API (serving the built app under /admin), its in-process worker,
// PostgreSQL, Redis and the Stripe emulator. Root project entry:
// 'apps/admin-web/e2e/vitest.config.ts'. Paths are absolute so they hold
// whether this runs alone or as a project of the root config.
export default defineConfig({
  root: here('..'),
  test: {
    name: 'admin-web-e2e',
    environment: 'node',
    dir: here('.'),
    include: ['**/*.e2e.test.ts'],
    globalSetup: [here('./global-setup.ts')],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default: too soon for a request and a render on a busy machine.
    expect: { poll: { timeout: 15_000 } },
    // Each file runs its own API, emulator and browser: a few at a time is plenty.
    maxWorkers: 3,
    // A project with its own worker limit needs its own group; it runs after the others, when the CPU is free.
    sequence: { groupOrder: 1 },
  },
});
