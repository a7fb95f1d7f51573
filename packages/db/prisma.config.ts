import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// The repository's .env (if any) supplies DATABASE_URL for `pnpm db:migrate`;
// variables already set in the environment always win.
const dotEnv = fileURLToPath(new URL('../../.env', import.meta.url));
if (!process.env.DATABASE_URL && existsSync(dotEnv)) process.loadEnvFile(dotEnv);

// No update check or usage report from the Prisma CLI (its "checkpoint" call): this machine has no internet,
// and the pinned versions are the point (see docs/development.md).
process.env.CHECKPOINT_DISABLE ??= '1';

// Prisma's native schema engine is downloaded from the internet; without it,
// the CLI runs our offline shim over the same engine compiled to WebAssembly
// (see engine/schema-engine.mjs). An explicitly set variable always wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./engine/schema-engine.mjs', import.meta.url));

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/aquoris',
  },
});
