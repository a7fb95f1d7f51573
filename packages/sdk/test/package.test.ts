/**
 * The published artifact, end to end: build, `pnpm pack`, install the tarball
 * into a fresh project outside the workspace with npm (offline: the SDK has no
 * dependencies), then use it from ESM, from CJS and from TypeScript.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, SDK_DIR, WORKSPACE_DIR, ensureBuilt } from './build.ts';

const run = promisify(execFile);
const TIMEOUT = 120_000;
const REQUIRED_FILES = [
  'package/package.json',
  'package/README.md',
  'package/dist/index.js',
  'package/dist/index.cjs',
  'package/dist/index.d.ts',
  'package/dist/index.d.cts',
];

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** A stand-in for the API: eligibility and plans for the right key, 401 otherwise. */
function startFakeApi(seen: Seen[]): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${seen.length}` });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer sk_test') {
      return send(401, { error: { code: 'UNAUTHORIZED', message: 'Invalid API key' } });
    }
    if (req.url === '/api/v1/customers/user%2F1/subscription') {
      return send(200, {
        base: {
          status: 'ACTIVE',
          plan: { slug: 'pro', name: 'Aquoris PRO', interval: 'month' },
          currentPeriodEnd: '2026-05-06T00:00:00.000Z',
          cancelAtPeriodEnd: true,
          source: 'MANUAL',
        },
        addons: [],
      });
    }
    if (req.url === '/api/v1/plans') {
      return send(200, { plans: [{ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month', trialDays: 0 }] });
    }
    return send(404, { error: { code: 'NOT_FOUND', message: `No route ${req.url}` } });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

const SCRIPT_BODY = `
const billing = new AquorisBilling({ apiKey: 'sk_test', appSlug: 'vega', baseUrl: process.env.BASE_URL, maxRetries: 0 });
const eligibility = await billing.customers.getSubscription('user/1');
const { plans } = await billing.plans.list();
let error;
try {
  await new AquorisBilling({ apiKey: 'wrong', appSlug: 'vega', baseUrl: process.env.BASE_URL }).plans.list();
} catch (e) {
  error = e;
}
console.log(JSON.stringify({
  version: VERSION,
  access: hasAccess(eligibility),
  pro: hasPlan(eligibility, 'pro'),
  endsAt: endsAt(eligibility)?.toISOString() ?? null,
  plans: plans.map((p) => p.slug),
  error: {
    isAuthenticationError: error instanceof AuthenticationError,
    isBase: error instanceof AquorisBillingError,
    name: error.name,
    code: error.code,
    status: error.status,
    requestId: error.requestId,
  },
}));
`;

const ESM_SCRIPT = `
import * as sdk from '@aquoris/billing-sdk';
import { AquorisBilling, AquorisBillingError, AuthenticationError, VERSION, endsAt, hasAccess, hasPlan } from '@aquoris/billing-sdk';
// Named exports only, in both builds: a default next to them made CommonJS consumers reach for \`.default\`.
if ('default' in sdk) throw new Error('the ESM build has a default export');
${SCRIPT_BODY}
`;

const CJS_SCRIPT = `
const cjs = require('@aquoris/billing-sdk');
if ('default' in cjs) throw new Error('the CommonJS build has a default export');
const { AquorisBilling, AquorisBillingError, AuthenticationError, RateLimitError, VERSION, endsAt, hasAccess, hasPlan } = cjs;
(async () => {
  ${SCRIPT_BODY}
  // Dual package hazard: an error thrown by the CJS copy is still an instance of the ESM copy's classes.
  const esm = await import('@aquoris/billing-sdk');
  const fromCjs = new RateLimitError('x', { code: 'RATE_LIMITED', status: 429 });
  console.log(JSON.stringify({
    crossCopy: esm.RateLimitError !== RateLimitError && fromCjs instanceof esm.RateLimitError && fromCjs instanceof esm.AquorisBillingError,
    notOtherClass: !(fromCjs instanceof esm.AuthenticationError),
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const TS_CONSUMER = `
import {
  AquorisBilling,
  type ClientOptions,
  type Eligibility,
  type Plan,
  type SubscriptionStatus,
  AquorisBillingError,
  RateLimitError,
  hasAccess,
  willRenew,
} from '@aquoris/billing-sdk';

const options: ClientOptions = { apiKey: 'k', appSlug: 'vega', cache: { ttlMs: 60_000 }, rateLimitRetry: 'throw' };
const billing = new AquorisBilling(options);

export async function check(userId: string): Promise<boolean> {
  const eligibility: Eligibility = await billing.customers.getSubscription(userId, { timeout: 5_000 });
  const status: SubscriptionStatus | undefined = eligibility.base?.status;
  const plans: Plan[] = (await billing.plans.list()).plans;
  const { url } = await billing.sessions.create({ externalUserId: userId, intent: 'upgrade', planSlug: plans[0]?.slug });
  const customer = await billing.customers.upsert(userId, { email: 'a@b.test' });
  const health = await billing.health();
  const ok: 'ok' | 'degraded' = health.status;
  const email: string | null = customer.email;
  // @ts-expect-error intent is 'manage' | 'upgrade'
  await billing.sessions.create({ externalUserId: userId, intent: 'buy' });
  // @ts-expect-error appSlug comes from the client options
  await billing.sessions.create({ externalUserId: userId, appSlug: 'other' });
  // @ts-expect-error at least one of email or name
  await billing.customers.upsert(userId, {});
  try {
    await billing.customers.hasPlan(userId, 'pro', { allowPastDue: true });
  } catch (error) {
    if (error instanceof RateLimitError) return error.retryAfter === undefined;
    if (error instanceof AquorisBillingError) return error.code === 'UNAUTHORIZED' && error.status === 401;
  }
  return hasAccess(eligibility) && willRenew(eligibility) && url.length > 0 && ok === 'ok' && status !== undefined && email !== null;
}
`;

describe('the packed tarball in a fresh project', () => {
  let work: string;
  let app: string;
  let tarball: string;
  let api: { server: Server; baseUrl: string };
  const seen: Seen[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'aquoris-sdk-pack-'));
    const { packageManager } = JSON.parse(readFileSync(join(WORKSPACE_DIR, 'package.json'), 'utf8')) as { packageManager?: string };
    const pnpm = packageManager?.startsWith('pnpm@') ? packageManager : 'pnpm@12.21.0';
    // A workspace-wide build (turbo) may be cleaning dist/ at this very moment: check what was packed, try again once.
    for (let attempt = 1; ; attempt++) {
      await ensureBuilt();
      rmSync(join(work, 'packed'), { recursive: true, force: true });
      mkdirSync(join(work, 'packed'));
      // The pnpm running this test (`pnpm test`, `pnpm check`) when there is one: `npx -y pnpm@…` costs seconds per run.
      const execpath = process.env.npm_execpath;
      // pnpm may be a script run by node (npx, corepack) or a single executable (a global install of pnpm 11+).
      const [command, prefix]: [string, string[]] =
        execpath && /pnpm/.test(execpath) ? (/\.[cm]?js$/.test(execpath) ? [process.execPath, [execpath]] : [execpath, []]) : ['npx', ['-y', pnpm]];
      await run(command, [...prefix, '--filter', '@aquoris/billing-sdk', 'pack', '--pack-destination', join(work, 'packed')], {
        cwd: WORKSPACE_DIR,
      });
      const packed = readdirSync(join(work, 'packed')).filter((file) => file.endsWith('.tgz'));
      expect(packed).toHaveLength(1);
      tarball = join(work, 'packed', packed[0] as string);
      const { stdout } = await run('tar', ['-tzf', tarball]);
      if (REQUIRED_FILES.every((file) => stdout.split('\n').includes(file)) || attempt === 2) break;
    }

    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-consumer', version: '1.0.0', private: true }));
    await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
      cwd: app,
    });
    api = await startFakeApi(seen);
  }, TIMEOUT);

  afterAll(async () => {
    if (api) await new Promise((resolve) => api.server.close(resolve));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('contains only dist, README and package.json, with no dependencies', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').sort();
    expect(files).toEqual(expect.arrayContaining(REQUIRED_FILES));
    expect(files.every((file) => file === 'package/package.json' || file === 'package/README.md' || file.startsWith('package/dist/'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@aquoris/billing-sdk/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    // Nothing but the SDK itself was installed.
    expect(readdirSync(join(app, 'node_modules')).filter((entry) => !entry.startsWith('.'))).toEqual(['@aquoris']);
    expect(readdirSync(join(app, 'node_modules', '@aquoris'))).toEqual(['billing-sdk']);
  });

  it('works from an ESM script', async () => {
    writeFileSync(join(app, 'esm.mjs'), ESM_SCRIPT);
    const { stdout } = await run(process.execPath, ['esm.mjs'], { cwd: app, env: { ...process.env, BASE_URL: api.baseUrl } });
    expect(JSON.parse(stdout)).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      access: true,
      pro: true,
      endsAt: '2026-05-06T00:00:00.000Z',
      plans: ['pro'],
      error: {
        isAuthenticationError: true,
        isBase: true,
        name: 'AuthenticationError',
        code: 'UNAUTHORIZED',
        status: 401,
        requestId: expect.stringMatching(/^req_\d+$/),
      },
    });
    const eligibilityRequest = seen.find((request) => request.url.includes('/customers/'));
    expect(eligibilityRequest?.url).toBe('/api/v1/customers/user%2F1/subscription');
    expect(eligibilityRequest?.headers['x-aquoris-sdk']).toMatch(/^billing-sdk\/\d+\.\d+\.\d+/);
  });

  it('works from a CJS script, and instanceof holds across the CJS and ESM copies', async () => {
    writeFileSync(join(app, 'cjs.cjs'), CJS_SCRIPT);
    const { stdout } = await run(process.execPath, ['cjs.cjs'], { cwd: app, env: { ...process.env, BASE_URL: api.baseUrl } });
    const [first, second] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ access: true, pro: true, plans: ['pro'], error: { isAuthenticationError: true, code: 'UNAUTHORIZED', status: 401 } });
    expect(second).toEqual({ crossCopy: true, notOtherClass: true });
  });

  it(
    'type-checks a TypeScript consumer (ESM and CJS resolution, skipLibCheck off)',
    async () => {
      writeFileSync(join(app, 'consumer.mts'), TS_CONSUMER);
      writeFileSync(join(app, 'consumer.cts'), TS_CONSUMER);
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2022', 'DOM'],
            types: [],
            strict: true,
            exactOptionalPropertyTypes: true,
            noEmit: true,
            skipLibCheck: false,
            esModuleInterop: true,
          },
          files: ['consumer.mts', 'consumer.cts'],
        }),
      );
      const tsc = join(WORKSPACE_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch((error: { stdout?: string }) => error);
      expect((result as { stdout?: string }).stdout ?? '').toBe('');
    },
    TIMEOUT,
  );
});

describe('the built output', () => {
  beforeAll(ensureBuilt, TIMEOUT);

  it('has no runtime imports at all: no zod, no workspace packages, no Node built-ins', () => {
    for (const file of ['index.js', 'index.cjs']) {
      const code = readFileSync(join(DIST_DIR, file), 'utf8');
      expect(code, file).not.toMatch(/\bimport\s*(?:[\w*{}\s,]+from\s*)?["']/);
      expect(code, file).not.toMatch(/\brequire\(\s*["']/);
      expect(code, file).not.toMatch(/\bimport\(\s*["']/);
      expect(code, file).not.toContain('zod');
      expect(code, file).not.toMatch(/process\.env\b/); // env is read through a guarded globalThis lookup
    }
  });

  it('ships plain declarations: no zod or @aquoris/ imports in the .d.ts files', () => {
    for (const file of ['index.d.ts', 'index.d.cts']) {
      const types = readFileSync(join(DIST_DIR, file), 'utf8');
      expect(types, file).not.toMatch(/from\s+['"](zod|@aquoris\/)/);
      expect(types, file).not.toMatch(/\bimport\(/);
      // The contract types are openapi-typescript's, inlined: the components and the names the SDK exports.
      expect(types, file).toContain('type Eligibility = ');
      expect(types, file).toContain('status: "ACTIVE" | "PAST_DUE" | "CANCELED"');
    }
  });

  it('every value the declarations export exists at runtime, in both builds', async () => {
    const types = readFileSync(join(DIST_DIR, 'index.d.ts'), 'utf8');
    const list = /export \{([^}]+)\};\s*$/.exec(types)?.[1] ?? '';
    const values = list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name && !name.startsWith('type '))
      .map((name) => name.split(' as ').pop() as string);
    expect(values).toContain('AquorisBilling');
    const esm = (await import(pathToFileURL(join(DIST_DIR, 'index.js')).href)) as Record<string, unknown>;
    const cjs = createRequire(import.meta.url)(join(DIST_DIR, 'index.cjs')) as Record<string, unknown>;
    for (const name of values) {
      expect(esm[name], `ESM ${name}`).toBeDefined();
      expect(cjs[name], `CJS ${name}`).toBeDefined();
    }
  });

  it('the package.json version is the one the bundle reports', () => {
    const { version } = JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')) as { version: string };
    expect(readFileSync(join(DIST_DIR, 'index.js'), 'utf8')).toContain(`"${version}"`);
  });

  it(
    'passes publint (strict) and Are The Types Wrong for node10, node16 CJS/ESM and bundlers',
    async () => {
      const bin = (name: string) => join(SDK_DIR, 'node_modules', '.bin', name);
      const publint = await run(bin('publint'), ['--strict', '--pack', 'npm'], { cwd: SDK_DIR });
      expect(publint.stdout).toContain('All good');
      const attw = await run(bin('attw'), ['--pack', '.'], { cwd: SDK_DIR });
      expect(attw.stdout).toContain('No problems found');
    },
    TIMEOUT,
  );
});
