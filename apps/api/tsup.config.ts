import { defineConfig } from 'tsup';

// One ESM bundle per entry point. Workspace packages (core, db and its
// generated Prisma client) are compiled in; third-party packages stay external
// and are resolved from node_modules at run time.
export default defineConfig({
  entry: { main: 'src/main.ts', worker: 'src/worker/main.ts', cli: 'src/cli/main.ts', seed: 'src/cli/seed.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  splitting: true,
  noExternal: [/^@aquoris\//],
  external: ['@prisma/client', '@prisma/adapter-pg', 'pg'],
});
