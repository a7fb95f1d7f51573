import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, freePort } from './testing/index.ts';
import { spawnTs } from './testing/process.ts';

const secret = () => randomBytes(32).toString('hex');
let database: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  database = await createFreshDatabase();
});
afterAll(() => database.drop());

function baseEnv(port: number): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    SESSION_SECRET: secret(),
    ADMIN_SESSION_SECRET: secret(),
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_KEY_PREFIX: `aqbt${randomBytes(3).toString('hex')}`,
  };
}

describe('environment validation at start-up', () => {
  it.each(['DATABASE_URL', 'SESSION_SECRET', 'ADMIN_SESSION_SECRET'])('stops at once naming a missing %s', async (name) => {
    const env = baseEnv(await freePort());
    delete env[name];
    const proc = spawnTs('src/main.ts', [], env);
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain(`${name} is required but missing`);
  });

  it('requires the Stripe secrets and its own API-key encryption secret in production', async () => {
    const proc = spawnTs('src/main.ts', [], { ...baseEnv(await freePort()), NODE_ENV: 'production' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain('STRIPE_SECRET_KEY is required but missing (required in production)');
    expect(proc.stderr()).toContain('STRIPE_WEBHOOK_SECRET');
    expect(proc.stderr()).toContain('API_KEY_ENCRYPTION_SECRET is required but missing (required in production)');
  });

  it('names an invalid value without echoing secrets', async () => {
    const proc = spawnTs('src/main.ts', [], { ...baseEnv(await freePort()), SESSION_SECRET: 'short-secret-value' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain('SESSION_SECRET must be at least 32 characters');
    expect(proc.stderr()).not.toContain('short-secret-value');
  });
});

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s finishes the in-flight request, refuses new ones, exits 0', async (signal) => {
    const port = await freePort();
    const proc = spawnTs('src/main.ts', [], { ...baseEnv(port), LOG_LEVEL: 'info' });
    await proc.waitForOutput(/api listening/);

    // An in-flight request: headers sent, body still streaming when the signal arrives.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: '/api/v1/customers/x',
          headers: { 'content-type': 'application/json', 'content-length': '20', authorization: 'Bearer aqb_x' },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write('{"name":');
      setTimeout(() => {
        proc.child.kill(signal);
        setTimeout(() => req.end('"slow-body"}'), 300);
      }, 100);
    });

    const done = await inFlight;
    expect(done.status).toBe(401); // answered normally, not cut off
    expect(JSON.parse(done.body).error.code).toBe('UNAUTHORIZED');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toContain('shutdown complete');
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
