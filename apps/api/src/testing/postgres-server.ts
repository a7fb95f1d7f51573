import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.ts';
import type { PrivateServer } from './private-server.ts';

/**
 * A private, throw-away PostgreSQL server. start() keeps the data directory (the data survives a restart);
 * freeze() stops the server and every backend.
 */
export interface PrivatePostgres extends PrivateServer {
  /** The `postgres` database of this server, for createTestDatabase. */
  adminUrl: string;
  /** Stops it and deletes its data directory. */
  destroy(): Promise<void>;
}

/** The newest installed server's binaries (Debian's /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  const majors = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!majors[0]) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', majors[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` account. */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

async function waitUntilReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited (${server.exitCode}): ${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not start: ${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const user = runAs();
  const dataDir = mkdtempSync(join(tmpdir(), 'aqb-pg-'));
  if ('uid' in user) chownSync(dataDir, user.uid, user.gid);
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...user, stdio: 'ignore' });
  const port = await freePort();
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let server: ChildProcess | null = null;
  let log = '';
  const running = () => server !== null && server.exitCode === null && server.signalCode === null;
  process.once('exit', () => server?.pid && running() && process.kill(server.pid, 'SIGKILL'));

  const start = async () => {
    if (running()) return;
    log = '';
    const proc = spawn(
      join(bin, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=100'],
      { ...user, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    server = proc;
    await waitUntilReady(adminUrl, proc, () => log);
  };

  // Every backend is a child of the postmaster in its own session (PostgreSQL calls setsid), so one group signal
  // would reach the postmaster alone: signal it and each child.
  const signalAll = (signal: NodeJS.Signals) => {
    const pid = server?.pid;
    if (!pid || !running()) return;
    process.kill(pid, signal);
    for (const child of childrenOf(pid)) signalIfAlive(child, signal);
  };

  const stop = async () => {
    const proc = server;
    if (!proc || !running()) return;
    signalAll('SIGCONT'); // a frozen server cannot shut down
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGINT'); // fast shutdown: clients are disconnected at once
    });
  };

  await start();
  return {
    adminUrl,
    start,
    stop,
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A backend may exit between being listed and being signalled (ESRCH): that one needs no signal. */
function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
