import { Agent, request } from 'node:http';

export interface LoadFigures {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses whose status or body was not the expected one. */
  wrong: number;
  /** Requests that failed at the socket. */
  errors: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

/**
 * Keeps `connections` keep-alive connections busy for `seconds`, each asking
 * for the next of `expected`'s paths in turn, and checks every answer against
 * the status and body expected for that path: throughput, latency
 * percentiles and the count of wrong answers, for fault tests that must show
 * a degraded dependency is both fast and correct.
 */
export async function runLoad(baseUrl: string, expected: ReadonlyMap<string, { status: number; body: string }>, options: LoadOptions): Promise<LoadFigures> {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const paths = [...expected.keys()];
  const latencies: number[] = [];
  let wrong = 0;
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const req = request({ host: hostname, port, path, agent, headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - sent);
          const want = expected.get(path)!;
          if (res.statusCode !== want.status || Buffer.concat(chunks).toString('utf8') !== want.body) wrong++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const worker = async () => {
    while (performance.now() < deadline) await one(paths[next++ % paths.length]!);
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100;
  return { requests: latencies.length, rps: Math.round(latencies.length / elapsed), p50Ms: at(0.5), p99Ms: at(0.99), wrong, errors };
}
