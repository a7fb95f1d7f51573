import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { silentLogger, systemClock, type SystemActor } from '@aquoris/core';
import type { Database } from '@aquoris/db';
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time the server process spent per request (user + system), when it could be read (Linux /proc). */
  cpuUsPerRequest: number | null;
}

/** User CPU seconds a process has used so far, from /proc (null where /proc is not there). */
export function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** The wrk binary when installed (Debian's `wrk` package), else null: the load generator written in C, which saturates long after the server. */
export function wrkPath(): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) {
    try {
      accessSync(join(dir, 'wrk'), constants.X_OK);
      return join(dir, 'wrk');
    } catch {
      // not in this directory
    }
  }
  return null;
}

/**
 * The Lua script for wrk: each request's path is `<prefix><random 1..count><suffix>` (or `/` with no
 * prefix), and `done` prints the figures as one JSON line (latencies in µs).
 */
function wrkScript(path: { prefix: string; count: number; suffix: string } | null): string {
  const request = path
    ? `math.randomseed(os.time())
request = function() return wrk.format(nil, ${JSON.stringify(path.prefix)} .. math.random(1, ${path.count}) .. ${JSON.stringify(path.suffix)}) end`
    : '';
  return `${request}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"p50":%d,"p99":%d,"status":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
`;
}

/** Drives `url` for `seconds` with wrk (two threads); `path` describes the random paths, null for `/`. */
export async function driveWrk(
  wrk: string,
  label: string,
  url: string,
  connections: number,
  seconds: number,
  path: { prefix: string; count: number; suffix: string } | null,
  headers: Record<string, string> = {},
  server?: ChildProcess,
): Promise<LoadResult> {
  const script = join(mkdtempSync(join(tmpdir(), 'bench-wrk-')), 'script.lua');
  writeFileSync(script, wrkScript(path));
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const cpuBefore = cpuSeconds(server?.pid);
  const { stdout } = await promisify(execFile)(wrk, ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, ...headerArgs, url], {
    timeout: (seconds + 30) * 1000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
  const figures = JSON.parse(line.slice('WRK_JSON '.length)) as {
    requests: number;
    durationUs: number;
    p50: number;
    p99: number;
    status: number;
    errors: number;
  };
  return {
    label,
    connections,
    rps: Math.round(figures.requests / (figures.durationUs / 1e6)),
    p50: Math.round(figures.p50 / 10) / 100,
    p99: Math.round(figures.p99 / 10) / 100,
    non2xx: figures.status,
    errors: figures.errors,
    cpuUsPerRequest: cpuBefore === null ? null : Math.round((((cpuSeconds(server?.pid) ?? cpuBefore) - cpuBefore) * 1e6) / Math.max(1, figures.requests)),
  };
}

/** Drives `url` for `seconds` with autocannon (the fallback without wrk); `path()` picks each request's path. `server` is the process measured. */
export async function drive(
  label: string,
  url: string,
  connections: number,
  seconds: number,
  path: () => string,
  headers: Record<string, string> = {},
  server?: ChildProcess,
): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(server?.pid);
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers,
    requests: [{ method: 'GET', setupRequest: (req: autocannon.Request) => ({ ...req, path: path() }) }],
  });
  return {
    label,
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuUsPerRequest: cpuBefore === null ? null : Math.round((((cpuSeconds(server?.pid) ?? cpuBefore) - cpuBefore) * 1e6) / Math.max(1, result.requests.total)),
  };
}

/**
 * Starts a server process with its output going to a file in the temp directory, and resolves once
 * `readyUrl` answers 2xx. A file, not a pipe: a pipe would make the bench process (which also runs the
 * load generator) read every log line, and each write would wake it, costing both sides CPU.
 */
export async function startLogged(name: string, args: string[], env: Record<string, string | undefined>, readyUrl: string): Promise<ChildProcess> {
  const log = join(tmpdir(), `bench-${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${log}`);
    if (
      await fetch(readyUrl).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start; see ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function table(rows: LoadResult[]): string {
  const head = '| server | connections | requests/s | p50 ms | p99 ms | CPU µs/request | non-2xx | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|';
  return [
    head,
    ...rows.map((r) => `| ${r.label} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpuUsPerRequest ?? 'n/a'} | ${r.non2xx} | ${r.errors} |`),
  ].join('\n');
}

export const BENCH_ACTOR: SystemActor = { type: 'system', name: 'bench' };

/** Core's deps for seeding a bench database (no Stripe, no logs; throwaway secrets). */
export function benchDeps(database: Database) {
  const secret = randomBytes(32).toString('hex');
  return {
    db: database,
    clock: systemClock,
    log: silentLogger,
    config: { publicUrl: 'http://127.0.0.1', sessionSecret: secret, adminSessionSecret: secret, apiKeyEncryptionSecret: secret },
  };
}

/** The built API's environment for a bench: production mode on 127.0.0.1:`port`, placeholder Stripe keys, the session secret given. */
export function benchApiEnv(databaseUrl: string, secret: string, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: secret,
    ADMIN_SESSION_SECRET: secret,
    API_KEY_ENCRYPTION_SECRET: randomBytes(32).toString('hex'),
    STRIPE_CONFIG_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench',
    NEXT_PUBLIC_APP_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
}

/** Runs a bench's main function; a failure prints its stack and exits 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/** The bench's database dropped, or kept (and its URL printed) when asked. */
export async function dropUnlessKept(database: { url: string; drop(): Promise<void> }, keep: boolean): Promise<void> {
  if (keep) process.stderr.write(`kept ${database.url}\n`);
  else await database.drop();
}
