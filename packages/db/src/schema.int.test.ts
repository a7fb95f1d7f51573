import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

async function diffExitCode(schemaPath: string): Promise<number> {
  try {
    await run(process.execPath, [prismaCli, 'migrate', 'diff', '--from-migrations', 'prisma/migrations', '--to-schema', schemaPath, '--exit-code'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('schema.prisma and the migrations', () => {
  it('agree (prisma migrate diff --exit-code is 0)', async () => {
    expect(await diffExitCode('prisma/schema.prisma')).toBe(0);
  });

  it('the check fails when they disagree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aqb-schema-'));
    const drifted = join(dir, 'schema.prisma');
    copyFileSync(join(root, 'prisma/schema.prisma'), drifted);
    writeFileSync(drifted, readFileSync(drifted, 'utf8').replace('  trialDays       Int', '  driftColumn     Int?\n  trialDays       Int'));
    expect(await diffExitCode(drifted)).toBe(2);
  });
});
