/**
 * The operations scripts are where the deploy, backup and restore logic lives (issue 14): ShellCheck
 * (Debian's shellcheck; .ci/run installs it) finds nothing in any of them, at every severity.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 60_000;
const run = promisify(execFile);
const SCRIPTS = [
  ...readdirSync(join(ROOT, 'scripts'))
    .filter((f) => f.endsWith('.sh'))
    .map((f) => `scripts/${f}`),
  'scripts/testing/docker',
  'docker/toolbox.sh',
];

async function shellcheck(files: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run('shellcheck', ['--format=gcc', ...files], { cwd: ROOT });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number | string; stdout?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: e.stdout || e.message };
  }
}

describe('shellcheck', () => {
  it(
    'finds nothing in the deploy, backup, restore, runtime and toolbox scripts',
    async () => {
      expect(SCRIPTS).toEqual(expect.arrayContaining(['scripts/deploy.sh', 'scripts/backup-db.sh', 'scripts/restore-db.sh', 'scripts/assemble-runtime.sh']));
      expect(await shellcheck(SCRIPTS)).toEqual({ code: 0, output: '' });
    },
    TIMEOUT_MS,
  );

  it(
    'reports an unquoted expansion (the check can fail)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'aqb-shellcheck-'));
      try {
        writeFileSync(join(dir, 'bad.sh'), '#!/usr/bin/env bash\nrm -rf $1/backups\n');
        const result = await shellcheck([join(dir, 'bad.sh')]);
        expect(result.code).toBe(1);
        expect(result.output).toContain('SC2086');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );
});
