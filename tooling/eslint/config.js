// @ts-check
// Shared ESLint presets (flat config). The root eslint.config.js says where
// each one applies.
//
// typescript-eslint's recommended rules, not the type-checked variants: those
// build a TypeScript program for every package and would turn a run of seconds
// into minutes on a 2-core machine, and `pnpm typecheck` already checks types.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every TypeScript and JavaScript file: ESLint's and typescript-eslint's recommended rules. */
export const typescript = defineConfig({
  files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
  extends: [js.configs.recommended, tseslint.configs.recommended],
  languageOptions: {
    ecmaVersion: 2023,
    sourceType: 'module',
    globals: { ...globals.node },
  },
  linterOptions: {
    reportUnusedDisableDirectives: 'error',
  },
  rules: {
    // A parameter named `_x` is there for its position: Express tells an error
    // handler from a route by its four parameters, (error, req, res, _next).
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
  },
});

/**
 * Tests, test harnesses and benchmarks: `any` allowed. It types the JSON bodies
 * they read back (`(await res.json()) as any`) to assert on, where spelling out
 * each response type would add a cast the assertion makes anyway.
 * @param {string[]} files globs of the test code
 */
export function tests(files) {
  return defineConfig({
    files,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  });
}

/**
 * React sources: the rules of hooks, exhaustive effect dependencies and the
 * React Compiler's checks, as eslint-plugin-react-hooks recommends them.
 * @param {string[]} files globs of the React sources
 */
export function react(files) {
  return defineConfig({
    files,
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: {
      globals: { ...globals.browser },
    },
  });
}
