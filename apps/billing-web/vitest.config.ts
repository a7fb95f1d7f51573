import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Dates in assertions are written for UTC; workers inherit this.
process.env.TZ = 'UTC';

// Component and unit tests (happy-dom). The browser end-to-end tests have
// their own project: e2e/vitest.config.ts.
export default defineConfig({
  plugins: [react()],
  base: '/billing/',
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'billing-web',
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
