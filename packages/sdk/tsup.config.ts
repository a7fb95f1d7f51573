import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  // package.json has "type": "module": ESM is dist/index.js, CJS dist/index.cjs, with .d.ts and .d.cts.
  format: ['esm', 'cjs'],
  dts: true,
  tsconfig: 'tsconfig.build.json',
  // Node 18, Deno, Bun, workers and edge runtimes all run ES2022.
  target: 'es2022',
  platform: 'neutral',
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
  // The package has no dependencies; anything imported (types only) must be inlined, never required at runtime.
  noExternal: [/.*/],
});
