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

const ENV_MESSAGE = "Read configuration through apps/api/src/env.ts (validated once at start-up), or receive it as deps; don't read process.env here.";

/**
 * t3's restrictEnvAccess: `process.env` is read in one file, env.ts, which validates it with zod
 * and fails fast naming what is missing. Everything else gets configuration from there or as deps.
 * @param {{ allow: string[] }} options files that may read the environment themselves
 */
export function restrictEnvAccess({ allow }) {
  return defineConfig(
    {
      files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
      rules: {
        'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENV_MESSAGE }],
        'no-restricted-imports': ['error', ...envImportPaths()],
      },
    },
    {
      files: allow,
      rules: { 'no-restricted-properties': 'off', 'no-restricted-imports': 'off' },
    },
  );
}

function envImportPaths() {
  return ['process', 'node:process'].map((name) => ({ name, importNames: ['env'], message: ENV_MESSAGE }));
}

/** Modules of the transports and the queue: what the composition root in apps/api wires into core as deps. */
const TRANSPORT_MODULES = ['express', 'express/*', 'express-*', '@trpc/*'];
const QUEUE_MODULES = ['bullmq', 'bullmq/*', 'ioredis', 'ioredis/*'];
const TRANSPORT_MESSAGE = 'packages/core is transport-agnostic: Express and tRPC belong in apps/api, which calls core services.';
const QUEUE_MESSAGE = 'packages/core does not know the queue: BullMQ and Redis belong in apps/api; core receives what it needs as deps.';

/** Matches `import('x')` and `require('x')` of the given package names (and their subpaths). */
function loadOf(names, message) {
  const source = `/^(${names.map((n) => n.replace(/[/.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})(\\u002F|$)/`;
  return [
    { selector: `ImportExpression[source.value=${source}]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=${source}]`, message },
  ];
}

/**
 * The layering rule of house-style.md: nothing in core imports Express, tRPC, BullMQ or ioredis.
 * Two rules: static imports (`import`, `import type`, `export … from`) and loads at run time
 * (`import()`, `require()`). It keeps the process.env imports of restrictEnvAccess, since a later
 * no-restricted-imports replaces an earlier one rather than adding to it.
 * @param {string[]} files globs of core's sources
 */
export function coreBoundaries(files) {
  return defineConfig({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: envImportPaths(),
          patterns: [
            { group: TRANSPORT_MODULES, message: TRANSPORT_MESSAGE },
            { group: QUEUE_MODULES, message: QUEUE_MESSAGE },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...loadOf(['express', '@trpc', 'bullmq', 'ioredis'], `${TRANSPORT_MESSAGE} ${QUEUE_MESSAGE}`)],
    },
  });
}
