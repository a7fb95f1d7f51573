import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

// The benches run rarely and once broke without anyone noticing: each runs here in a tiny size (seconds, a few
// rows) and must print its JSON summary with the figures docs/performance.md quotes. They run the built API
// (apps/api/dist), as `pnpm bench:*` does: `pnpm check` builds before it tests.

const TIMEOUT_MS = 120_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The pretty-printed JSON object that ends the output (it starts at a line that is `{` alone), or null. */
function lastJsonObject(output: string): unknown {
  const start = output.lastIndexOf('\n{\n');
  if (start === -1) return null;
  try {
    return JSON.parse(output.slice(start + 1));
  } catch {
    return null;
  }
}

/** Runs a bench script to its end; resolves with its exit code and the JSON object it printed last. */
function spawnBench(script: string, env: Record<string, string>): Promise<{ code: number | null; summary: any; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve({ code, summary: lastJsonObject(output), output });
    });
  });
}

/** Runs a bench on free ports (the variables named), expects it to succeed, and gives its JSON summary. */
async function runBench(script: string, env: Record<string, string>, portVariables: string[]): Promise<any> {
  for (const name of portVariables) env[name] = String(await freePort());
  const { code, summary, output } = await spawnBench(script, env);
  expect(code, output).toBe(0);
  expect(summary, output).toBeTypeOf('object');
  return summary;
}

describe('the benches, in a tiny size', () => {
  it('the API is built (the benches run apps/api/dist)', () => {
    expect(existsSync('apps/api/dist/main.js') && existsSync('apps/api/dist/worker.js'), 'run `pnpm build` first').toBe(true);
  });

  it.concurrent(
    'bench:eligibility prints its figures as JSON',
    async () => {
      const tiny = { BENCH_CUSTOMERS: '200', BENCH_USERS: '200', BENCH_SECONDS: '1', BENCH_WARM_UP_SECONDS: '1' };
      const summary = await runBench('bench/eligibility.ts', tiny, ['BENCH_API_PORT', 'BENCH_BARE_PORT']);
      expect(summary).toMatchObject({
        generator: expect.stringMatching(/^(wrk|autocannon)$/),
        seconds: 1,
        customers: 200,
        users: 200,
        ratioAt32: expect.any(Number),
        p99At8Ms: expect.any(Number),
        targets: { ratioAt32: 0.5, p99At8Ms: 10 },
        met: expect.any(Boolean),
        failures: [],
      });
      const phases = (summary.results as Array<{ label: string; connections: number; rps: number }>).map((r) => [r.label, r.connections]);
      expect(phases).toEqual([
        ['bare node:http', 32],
        ['eligibility', 32],
        ['bare node:http', 8],
        ['eligibility', 8],
        ['eligibility, Redis down', 32],
        ['eligibility, Redis down', 8],
      ]);
      expect(summary.redisDown).toMatchObject({
        ratioAt32: expect.any(Number),
        p99At8Ms: expect.any(Number),
        targets: { ratioAt32: 0.5, p99At8Ms: 50 },
        met: expect.any(Boolean),
      });
      for (const r of summary.results)
        expect(r).toMatchObject({ rps: expect.any(Number), p50: expect.any(Number), p99: expect.any(Number), non2xx: 0, errors: 0 });
      expect(summary.results.every((r: { rps: number }) => r.rps > 0)).toBe(true);
    },
    TIMEOUT_MS,
  );

  it.concurrent(
    'bench:webhooks prints its figures as JSON',
    async () => {
      const tiny = { BENCH_EVENTS: '60', BENCH_SUBSCRIPTIONS: '10', BENCH_WARM_UP_EVENTS: '10', BENCH_CONNECTIONS: '4' };
      const summary = await runBench('bench/webhooks.ts', tiny, ['BENCH_API_PORT', 'BENCH_EMULATOR_PORT']);
      expect(summary).toMatchObject({
        worker: 'separate',
        events: 60,
        subscriptions: 10,
        accepted: 60,
        acceptedPerSecond: expect.any(Number),
        processed: 60,
        processedPerSecond: expect.any(Number),
        p50Ms: expect.any(Number),
        p99Ms: expect.any(Number),
        maxMs: expect.any(Number),
        cpuMsPerEvent: { api: expect.any(Number), worker: expect.any(Number) },
        targets: { acceptedPerSecond: 500, p99Ms: 1000 },
        met: expect.any(Boolean),
      });
    },
    TIMEOUT_MS,
  );

  it.concurrent(
    'bench:dashboard prints its figures as JSON',
    async () => {
      const tiny = { BENCH_SUBSCRIPTIONS: '300', BENCH_INVOICES: '900', BENCH_COLD_RUNS: '1', BENCH_WARM_RUNS: '3', BENCH_PAGE_RUNS: '1' };
      const summary = await runBench('bench/dashboard.ts', tiny, ['BENCH_API_PORT']);
      expect(summary).toMatchObject({
        bench: 'dashboard',
        subscriptions: 300,
        invoices: 900,
        apps: 50,
        seedSeconds: expect.any(Number),
        rebuildSeconds: expect.any(Number),
        apiPeakRssMb: expect.any(Number),
        targets: { coldP95Ms: 500, warmP95Ms: 50, pageMs: 1_000 },
        met: expect.any(Boolean),
        loadAverage: { atStart: expect.any(Array), atEnd: expect.any(Array) },
      });
      // The whole page in Chromium: every card showed its number, after a restart and once warm.
      expect(summary.page).toMatchObject({ coldMs: expect.any(Number), warmMs: [expect.any(Number)], error: null });
      expect(summary.figures.map((f: { stat: string }) => f.stat)).toEqual([
        'mrr',
        'active',
        'churn',
        'revenue',
        'mrrSeries',
        'subscriptionFlow',
        'revenueSeries',
        'movements',
      ]);
      for (const f of summary.figures) expect(f).toMatchObject({ coldP95Ms: expect.any(Number), warmP50Ms: expect.any(Number), warmP95Ms: expect.any(Number) });
      expect(summary.exports.map((e: { file: string }) => e.file)).toEqual(['subscriptions.csv', 'invoices.csv (12 months)']);
      for (const e of summary.exports) expect(e.rows).toBe(e.expectedRows);
      expect(summary.exports[0].rows).toBe(300);
    },
    TIMEOUT_MS,
  );
});
