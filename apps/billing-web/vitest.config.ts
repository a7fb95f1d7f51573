import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Component and unit tests (happy-dom). The browser end-to-end tests have
// their own project: e2e/vitest.config.ts.
export default defineConfig({
  plugins: [react()],
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'billing-web',
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://localhost:5173/billing' } },
    include: ['src/**/*.test.{ts,tsx}'],
    // The app is served under /billing (vite.config.ts `base`); vitest does not apply `base` to import.meta.env.
    // Dates in assertions are written for UTC (set in the worker only, not for other projects of the run).
    env: { BASE_URL: '/billing/', TZ: 'UTC' },
    setupFiles: ['./src/test/setup.ts'],
  },
});
