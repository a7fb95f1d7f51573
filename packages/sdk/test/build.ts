/**
 * Builds dist/ once for the test files that need the published artifact
 * (package.test.ts, contract.int.test.ts), even when they run in parallel:
 * a lock directory serialises tsup, and a fresh dist/ is reused.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const SDK_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = join(SDK_DIR, 'dist');
export const WORKSPACE_DIR = join(SDK_DIR, '..', '..');
const run = promisify(execFile);
const LOCK = join(tmpdir(), `aquoris-billing-sdk-build-${Buffer.from(SDK_DIR).toString('hex').slice(-32)}.lock`);
const OUTPUTS = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'];

function newestInput(dir = join(SDK_DIR, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestInput(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const inputs = Math.max(newestInput(), ...['package.json', 'tsup.config.ts', 'tsconfig.build.json'].map((file) => statSync(join(SDK_DIR, file)).mtimeMs));
  return OUTPUTS.every((file) => {
    const path = join(DIST_DIR, file);
    return existsSync(path) && statSync(path).mtimeMs >= inputs;
  });
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the build lock ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Runs tsup unless dist/ is newer than every source file. */
export async function ensureBuilt(): Promise<void> {
  await withLock(async () => {
    if (isFresh()) return;
    await run(join(SDK_DIR, 'node_modules', '.bin', 'tsup'), [], { cwd: SDK_DIR });
  });
}
