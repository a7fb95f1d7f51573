import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROOT, REPO_ROOT } from '../testing/process.ts';

/**
 * `pnpm aqb …` as an operator types it: the built JavaScript behind the `aqb` bin of @aquoris/api
 * (linked into the root's node_modules/.bin), so no tsx start-up, and pnpm adds nothing of its own
 * to the output (no `$ …` echo, no ELIFECYCLE line on a failure).
 */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      // No DATABASE_URL: help and unknown commands must answer before the environment is read.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  if (existsSync(join(API_ROOT, 'dist/cli.js'))) return;
  const build = spawnSync('pnpm', ['-s', 'run', 'build'], { cwd: API_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building @aquoris/api failed:\n${build.stdout}\n${build.stderr}`);
}, 180_000);

describe('pnpm aqb (the operator CLI bin)', () => {
  it('prints exactly one JSON line ending in a newline, and pnpm adds no echo', async () => {
    const { code, stdout, stderr } = await run('pnpm', ['aqb', 'help']);
    expect(code).toBe(0);
    expect(stdout.endsWith('}\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout).commands.map((c: { name: string }) => c.name)).toContain('plans:create');
    expect(stderr).not.toMatch(/^\$ |tsx|ELIFECYCLE/m);
  }, 60_000);

  it('a failing command exits 1 with the error envelope, and no ELIFECYCLE line', async () => {
    const { code, stdout, stderr } = await run('pnpm', ['aqb', 'no:such-command']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('pnpm aqb help') } });
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stderr).toBe('error: Unknown command "no:such-command". Run "pnpm aqb help" for the list.\n');
  }, 60_000);

  it('runs the built JavaScript, not the TypeScript source', async () => {
    const { code, stdout } = await run(process.execPath, [join(API_ROOT, 'dist/cli.js'), 'help', 'plans:sync-stripe']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).commands).toEqual([expect.objectContaining({ name: 'plans:sync-stripe' })]);
  }, 60_000);
});
