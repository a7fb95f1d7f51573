import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

// Served by the API under /admin in production (same origin: the session
// cookie just works); in development Vite proxies API paths to it.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  // NEXT_PUBLIC_SENTRY_DSN / _ENVIRONMENT (the integration guide's names) at build time; the API's served page wins.
  envPrefix: ['VITE_', 'NEXT_PUBLIC_'],
  server: {
    port: 5174,
    proxy: { '/trpc': api, '/session': api, '/api': api },
  },
  build: { outDir: 'dist', sourcemap: true },
});
