import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const API_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

export interface SpawnedProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Runs a TypeScript entry point of the API (through tsx) as a real child process. */
export function spawnTs(entry: string, args: string[], env: Record<string, string | undefined>): SpawnedProcess {
  return spawnNode(['--import', 'tsx', entry, ...args], env);
}

/**
 * Runs a built entry point of the API (`dist/cli.js`, ...) as a real child process: what `pnpm aqb` runs, and
 * several times faster to start than the sources through tsx. The integration tests' global set-up builds it.
 */
export function spawnBuilt(entry: string, args: string[], env: Record<string, string | undefined>): SpawnedProcess {
  return spawnNode([entry, ...args], env);
}

function spawnNode(nodeArgs: string[], env: Record<string, string | undefined>): SpawnedProcess {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: API_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    waiters.forEach((w) => w());
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    waiters.forEach((w) => w());
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}\nstdout: ${out}\nstderr: ${err}`)), timeoutMs);
        waiters.push(check);
        void exited.then(() => setTimeout(() => reject(new Error(`process exited before ${pattern}\nstdout: ${out}\nstderr: ${err}`)), 50));
        check();
      });
    },
  };
}
