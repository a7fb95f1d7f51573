import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './ports.ts';
import type { PrivateServer } from './private-server.ts';

/** A private, throw-away redis-server with no persistence (start() after stop() begins empty). */
export interface PrivateRedis extends PrivateServer {
  url: string;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  // Never outlive the test process, whatever happens to it.
  process.once('exit', () => child?.kill('SIGKILL'));

  const spawnServer = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let seen = '';
      proc.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (/Ready to accept connections/.test(seen)) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${seen}`)));
    });

  const stop = async () => {
    const proc = child;
    if (!proc || !running()) return;
    await new Promise<void>((resolve) => {
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  };

  await spawnServer();
  return {
    url: `redis://127.0.0.1:${port}`,
    start: () => (running() ? Promise.resolve() : spawnServer()),
    stop,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
  };
}
