import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const committed = join(root, 'src/kysely/types.ts');

/** Runs the schema's kysely generator into a temporary directory and returns what it wrote. */
async function generate(schema: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aqb-kysely-'));
  const schemaPath = join(dir, 'schema.prisma');
  const output = join(dir, 'out');
  writeFileSync(schemaPath, schema.replace('output   = "../src/kysely"', `output   = ${JSON.stringify(output)}`));
  // From the package root, as `prisma generate` runs: its prettier configuration formats the file.
  // and its bin directory holds the generator's executable, as under `pnpm run`.
  const path = `${join(root, 'node_modules/.bin')}${delimiter}${process.env.PATH ?? ''}`;
  await run(process.execPath, [prismaCli, 'generate', '--schema', schemaPath, '--generator', 'kysely'], { cwd: root, env: { ...process.env, PATH: path } });
  return readFileSync(join(output, 'types.ts'), 'utf8');
}

const schema = () => readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');

describe('the committed Kysely types (src/kysely/types.ts)', () => {
  it('are what prisma-kysely generates from schema.prisma (run `pnpm --filter @aquoris/db generate` when this fails)', async () => {
    expect(schema()).toContain('output   = "../src/kysely"');
    expect(await generate(schema())).toBe(readFileSync(committed, 'utf8'));
  });

  it('the check fails when the schema moved on', async () => {
    const drifted = schema().replace('  trialDays       Int', '  driftColumn     Int?\n  trialDays       Int');
    expect(await generate(drifted)).not.toBe(readFileSync(committed, 'utf8'));
  });
});
