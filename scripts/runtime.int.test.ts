/**
 * What docker/Dockerfile's runtime stage runs, built and started here (issue 14): scripts/assemble-runtime.sh
 * (`pnpm deploy --prod` of the API, the web apps beside it), laid out as the image lays it out, in a folder
 * outside the workspace. The toolbox's commands migrate and seed a fresh database from it; the Dockerfile's
 * CMD serves /api/health and both web apps; the worker's compose command starts and stops on SIGTERM; the
 * image's HEALTHCHECK script passes and fails as it should.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '@aquoris/api/testing';
import { REPO, createEmptyDatabase, runScript } from './testing/run-script.ts';

const DOCKERFILE = readFileSync(join(REPO, 'docker/Dockerfile'), 'utf8');
const COMPOSE = parse(readFileSync(join(REPO, 'docker/docker-compose.prod.yml'), 'utf8'));

/** The instructions of one stage of the Dockerfile, continuation lines joined. */
function stage(name: string): string[] {
  const lines = DOCKERFILE.replace(/\\\n\s*/g, ' ').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM \\S+ AS ${name}$`).test(l));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('FROM '));
  return lines.slice(start, end === -1 ? undefined : end).filter((l) => l && !l.startsWith('#'));
}
const instruction = (lines: string[], keyword: string) => lines.filter((l) => l.startsWith(`${keyword} `)).map((l) => l.slice(keyword.length + 1));

let root: string;
let app: string;
let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
let env: Record<string, string>;

/** Starts `argv` in `cwd` with only `env`; resolves once `ready` appears on stdout. */
function start(argv: string[], cwd: string, extra: Record<string, string>, ready: RegExp) {
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { PATH: process.env.PATH, ...env, ...extra } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) resolve();
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then((code) => reject(new Error(`exited ${code} before ${ready}:\n${output}`)));
  });
  return { child, started, exited, output: () => output };
}

beforeAll(async () => {
  const built = ['apps/api/dist/main.js', 'apps/billing-web/dist/index.html', 'apps/admin-web/dist/index.html'];
  if (!built.every((file) => existsSync(join(REPO, file)))) {
    const build = spawnSync('pnpm', ['-s', 'run', 'build'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`pnpm build failed:\n${build.stdout}\n${build.stderr}`);
  }
  // The image's /app, outside the workspace: nothing resolves from the repository's node_modules.
  root = mkdtempSync(join(tmpdir(), 'aqb-runtime-'));
  expect(relative(REPO, root).startsWith('..')).toBe(true);
  const assembled = await runScript('scripts/assemble-runtime.sh', [join(root, 'out')], {});
  if (assembled.code !== 0) throw new Error(`assemble-runtime.sh failed:\n${assembled.stdout}\n${assembled.stderr}`);
  // COPY --from=build /out /app, then the COPY lines of the runtime and toolbox stages.
  rmSync(join(root, 'app'), { recursive: true, force: true });
  spawnSync('mv', [join(root, 'out'), join(root, 'app')]);
  for (const copy of [...instruction(stage('runtime'), 'COPY'), ...instruction(stage('toolbox'), 'COPY')]) {
    if (copy.startsWith('--from=build')) continue;
    const parts = copy.split(' ');
    const target = parts.at(-1)!.replace(/^\/app/, join(root, 'app'));
    for (const source of parts.slice(0, -1)) {
      mkdirSync(target.endsWith('/') ? target : join(target, '..'), { recursive: true });
      copyFileSync(join(REPO, source), target.endsWith('/') ? join(target, source.split('/').at(-1)!) : target);
    }
  }
  app = join(root, 'app', relative('/app', instruction(stage('runtime'), 'WORKDIR')[0]!));
  database = await createEmptyDatabase('aqb_runtime');
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `aqbrt${randomBytes(3).toString('hex')}`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ADMIN_SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    TOOLBOX_ROOT: join(root, 'app'),
  };
}, 240_000);
afterAll(async () => {
  await database?.drop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const toolbox = (...args: string[]) => runScript(join(root, 'app/scripts/toolbox.sh'), args, { ...env, NODE_ENV: 'test' });

describe('the runtime image’s files, built by pnpm deploy --prod and started outside the workspace', () => {
  it('the Dockerfile runs exactly this: assemble-runtime.sh in the build stage, its output as /app, node dist/main.js under tini', () => {
    expect(instruction(stage('build'), 'RUN')).toContain('scripts/assemble-runtime.sh /out');
    expect(instruction(stage('runtime'), 'COPY')).toContain('--from=build /out /app');
    expect(instruction(stage('runtime'), 'ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]']);
    expect(instruction(stage('runtime'), 'CMD')).toEqual(['["node", "dist/main.js"]']);
    expect(COMPOSE.services.worker.command).toEqual(['node', 'dist/worker.js']);
    expect(readFileSync(join(REPO, 'scripts/assemble-runtime.sh'), 'utf8')).toContain('pnpm --filter @aquoris/api deploy --prod');
    expect(existsSync(join(app, 'node_modules/express'))).toBe(true);
    // Production dependencies only: no test runner, bundler or type checker of the workspace.
    for (const dev of ['vitest', 'tsup', '@aquoris/stripe-emulator']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
  });

  it('the toolbox migrates an empty database, seeds it and runs a CLI command, from the same files', async () => {
    const migrated = await toolbox('migrate');
    expect(migrated.code, migrated.stderr + migrated.stdout).toBe(0);
    expect(migrated.stdout).toContain('All migrations have been successfully applied');
    const seeded = await toolbox('db:seed');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout)).toMatchObject({ app: { slug: 'demo' }, plans: ['free', 'pro'] });
    const listed = await toolbox('apps:list');
    expect(JSON.parse(listed.stdout).apps.map((a: { slug: string }) => a.slug)).toEqual(['demo']);
  });

  it('the toolbox’s backup, restore, help and sentry:sourcemaps (with nothing to upload to) work from the image’s layout', async () => {
    const backups = join(root, 'backups');
    const backup = await runScript(join(root, 'app/scripts/toolbox.sh'), ['backup'], { ...env, BACKUP_DIR: backups });
    expect(backup.code, backup.stderr).toBe(0);
    const copy = await createEmptyDatabase('aqb_runtime_copy');
    try {
      const restored = await runScript(join(root, 'app/scripts/toolbox.sh'), ['restore', '--yes', backup.stdout.trim()], { ...env, DATABASE_URL: copy.url });
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/^apps\t1$/m);
    } finally {
      await copy.drop();
    }
    expect((await toolbox('help')).stdout).toContain('sentry:sourcemaps');
    const sentry = await toolbox('sentry:sourcemaps');
    expect(sentry).toMatchObject({ code: 0 });
    expect(sentry.stderr).toContain('no source maps uploaded');
    // What the upload would send: the API's and both web apps' source maps are in the image.
    for (const dir of ['api/dist', 'billing-web/dist/assets', 'admin-web/dist/assets']) {
      expect(
        readdirSync(join(root, 'app', dir)).some((f) => f.endsWith('.js.map')),
        dir,
      ).toBe(true);
    }
  });

  it('the API serves /api/health and both web apps; the HEALTHCHECK script passes, then fails once it stops', async () => {
    const port = String(await freePort());
    const production = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: port,
      API_KEY_ENCRYPTION_SECRET: randomBytes(32).toString('hex'),
      STRIPE_CONFIG_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    const stripe = { STRIPE_SECRET_KEY: 'sk_test_runtime', STRIPE_WEBHOOK_SECRET: 'whsec_runtime', WORKER_IN_PROCESS: 'false' };
    const cmd = JSON.parse(instruction(stage('runtime'), 'CMD')[0]!) as string[];
    const api = start(cmd, app, { ...production, ...stripe }, /api listening/);
    try {
      await api.started;
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      for (const page of ['/billing', '/admin/login']) {
        const res = await fetch(`http://127.0.0.1:${port}${page}`);
        expect(res.status, page).toBe(200);
        expect(await res.text(), page).toContain('<div id="root">');
      }
      const check = spawnSync('node', ['healthcheck.mjs'], { cwd: app, env: { PATH: process.env.PATH, PORT: port }, encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    } finally {
      api.child.kill('SIGTERM');
    }
    expect(await api.exited).toBe(0);
    const after = spawnSync('node', ['healthcheck.mjs'], { cwd: app, env: { PATH: process.env.PATH, PORT: port }, encoding: 'utf8' });
    expect(after.status).toBe(1);
    expect(after.stderr).toContain('unhealthy');
  });

  it('the worker (the compose command) starts, its healthcheck reaches Redis, and SIGTERM stops it with exit 0', async () => {
    const worker = start(COMPOSE.services.worker.command, app, { NODE_ENV: 'test' }, /worker ready/);
    try {
      await worker.started;
      const check = spawnSync('node', ['healthcheck.mjs', 'worker'], { cwd: app, env: { PATH: process.env.PATH, REDIS_URL: env.REDIS_URL }, encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      const down = spawnSync('node', ['healthcheck.mjs', 'worker'], {
        cwd: app,
        env: { PATH: process.env.PATH, REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
        encoding: 'utf8',
      });
      expect(down.status).toBe(1);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
  });
});
