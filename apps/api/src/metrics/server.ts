import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import type { Registry } from 'prom-client';
import type { Env } from '../env.ts';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

function authorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /metrics` in the Prometheus text format, on its own port (METRICS_PORT), never on the public one:
 * publish the API's port through the proxy and keep this one on the internal network.
 */
export function startMetricsServer(registry: Registry, options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!authorized(req.headers.authorization, options.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close() {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeAllConnections();
          return closed;
        },
      });
    });
  });
}

/** The route template of an answered Express request, for the request-duration label (bounded: never the raw path). */
export function routeLabel(req: Pick<Request, 'baseUrl'> & { route?: { path?: unknown } }): string {
  const path = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  if (Array.isArray(path) && typeof path[0] === 'string') return `${req.baseUrl}${path[0]}`;
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

/** The metrics server of a process when METRICS_PORT is set, else null. */
export function serveMetrics(registry: Registry, env: Pick<Env, 'METRICS_PORT' | 'METRICS_HOST' | 'METRICS_TOKEN'>): Promise<MetricsServer | null> {
  if (env.METRICS_PORT === undefined) return Promise.resolve(null);
  return startMetricsServer(registry, { port: env.METRICS_PORT, host: env.METRICS_HOST, token: env.METRICS_TOKEN });
}
