import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layout rules of the root eslint.config.js, applied to snippets as if they were files of the repo.
const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

async function rulesBroken(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('process.env is read in apps/api/src/env.ts only', () => {
  it.each([
    ['apps/api/src/cli/seed.ts', 'export const slug = process.env.SEED_APP_SLUG;\n'],
    ['apps/api/src/server.ts', 'const { env } = process;\nexport const port = env.PORT;\n'],
    ['packages/core/src/apps/service.ts', "import { env } from 'node:process';\nexport const x = env.X;\n"],
    ['apps/billing-web/src/api.ts', "import { env } from 'process';\nexport const x = env.X;\n"],
  ])('%s may not read it', async (file, code) => {
    expect(await rulesBroken(file, code)).toEqual([expect.stringMatching(/^no-restricted-(properties|imports)$/)]);
  });

  it.each([
    'apps/api/src/env.ts',
    'apps/api/src/testing/index.ts',
    'apps/api/src/cli/cli.int.test.ts',
    'scripts/dev.ts',
    'bench/lib.ts',
    'apps/billing-web/vite.config.ts',
  ])('%s may', async (file) => {
    expect(await rulesBroken(file, 'export const x = process.env.X;\n')).toEqual([]);
  });
});

describe('packages/core imports neither the transports nor the queue', () => {
  it.each([
    "import express from 'express';\nexport default express;\n",
    "import type { Request } from 'express';\nexport type R = Request;\n",
    "import { TRPCError } from '@trpc/server';\nexport { TRPCError };\n",
    "export { Queue } from 'bullmq';\n",
    "import Redis from 'ioredis';\nexport default Redis;\n",
  ])('static: %j', async (code) => {
    expect(await rulesBroken('packages/core/src/x.ts', code)).toEqual(['no-restricted-imports']);
  });

  it.each(["export const q = await import('bullmq');\n", "export const t = await import('@trpc/server/adapters/express');\n"])(
    'at run time: %j',
    async (code) => {
      expect(await rulesBroken('packages/core/src/x.ts', code)).toEqual(['no-restricted-syntax']);
    },
  );

  it('apps/api may, and core may import what it is built on', async () => {
    expect(await rulesBroken('apps/api/src/x.ts', "import express from 'express';\nexport default express;\n")).toEqual([]);
    expect(await rulesBroken('packages/core/src/x.ts', "import { z } from 'zod';\nimport Stripe from 'stripe';\nexport { z, Stripe };\n")).toEqual([]);
  });
});
