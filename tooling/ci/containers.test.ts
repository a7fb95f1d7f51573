/**
 * The container files (issue 14), checked here without a Docker engine: both compose files pass
 * `docker-compose config -q` (Debian's docker-compose; .ci/run installs it) with docker/.env.example as the
 * server's .env, and hold the guide's rules; the Dockerfile passes dockerfilelint and keeps its promises
 * (frozen lockfile, turbo build, pnpm deploy --prod, non-root, HEALTHCHECK, tini). What the runtime stage
 * runs is started for real in scripts/runtime.int.test.ts.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 60_000;
const run = promisify(execFile);
const COMPOSE_FILES = ['docker-compose.staging.yml', 'docker-compose.prod.yml'];
const DOCKERFILE = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');

let server: string;
beforeAll(() => {
  // The server's layout: /opt/aquoris-payment/{docker/,.env}.
  server = mkdtempSync(join(tmpdir(), 'aqb-compose-'));
  cpSync(join(ROOT, 'docker'), join(server, 'docker'), { recursive: true });
  cpSync(join(ROOT, 'docker/.env.example'), join(server, '.env'));
});
afterAll(() => rmSync(server, { recursive: true, force: true }));

async function composeConfig(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('docker-compose', ['--env-file', join(server, '.env'), '-f', file, 'config', '-q'], { cwd: server });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}

describe('docker-compose config -q', () => {
  it.each(COMPOSE_FILES)(
    '%s is valid',
    async (file) => {
      expect(await composeConfig(join(server, 'docker', file))).toEqual({ code: 0, output: '' });
    },
    TIMEOUT_MS,
  );

  it(
    'rejects a broken compose file (the check can fail)',
    async () => {
      mkdirSync(join(server, 'broken'), { recursive: true });
      writeFileSync(join(server, 'broken/compose.yml'), 'services:\n  app:\n    image: x\n    stop_grace_period: [30]\n    restart: sometimes\n');
      const result = await composeConfig(join(server, 'broken/compose.yml'));
      expect(result.code).not.toBe(0);
      expect(result.output).toContain('is invalid');
    },
    TIMEOUT_MS,
  );
});

describe.each(COMPOSE_FILES)('%s', (file) => {
  const compose = parse(readFileSync(join(ROOT, 'docker', file), 'utf8'));
  const services = compose.services as Record<string, Record<string, any>>;

  it('app, worker, postgres, redis and the proxy on the network aquoris-payment_internal, each with a healthcheck, restart and a 30 s grace', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'postgres', 'proxy', 'redis', 'worker']);
    expect(compose.networks).toEqual({ internal: { name: 'aquoris-payment_internal' } });
    for (const [name, service] of Object.entries(services)) {
      expect(service.networks, name).toEqual(['internal']);
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(service.restart, name).toBe('unless-stopped');
      expect(service.stop_grace_period, name).toBe('30s');
    }
  });

  it('one image for app and worker (the worker with its own command), env from .env, app replicas behind Caddy with TLS', () => {
    expect(services.worker!.image).toBe(services.app!.image);
    expect(services.app!.image).toBe('${APP_IMAGE:-ghcr.io/eidy-trillionsure/aquoris-payment:latest}');
    expect(services.worker!.command).toEqual(['node', 'dist/worker.js']);
    for (const name of ['app', 'worker', 'postgres']) expect(services[name]!.env_file, name).toBe('../.env');
    expect(services.app!.deploy.replicas).toMatch(/^\$\{APP_REPLICAS:-\d\}$/);
    expect(services.app!.ports).toBeUndefined();
    expect(services.app!.environment).toMatchObject({ TRUST_PROXY: 'true', WORKER_IN_PROCESS: 'false' });
    expect(services.proxy!.ports).toEqual(['80:80', '443:443', '443:443/udp']);
    expect(services.proxy!.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    const caddyfile = readFileSync(join(ROOT, 'docker/Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/^\{\$SITE_ADDRESS\} \{$/m);
    expect(caddyfile).toMatch(/dynamic a \{\n\t+name app\n\t+port 3000/);
  });

  it('redis keeps its data (appendonly yes) and never evicts (noeviction); data lives in named volumes', () => {
    const command = services.redis!.command.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(services.redis!.volumes).toEqual(['redis_data:/data']);
    expect(services.postgres!.volumes).toEqual(['postgres_data:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['caddy_config', 'caddy_data', 'postgres_data', 'redis_data']);
    // The toolbox's pg_dump is PostgreSQL 15 (Dockerfile): the server must not be newer.
    expect(services.postgres!.image).toMatch(/^postgres:15[.-]/);
    expect(DOCKERFILE).toContain('postgresql-client-15');
  });
});

describe('docker/Dockerfile', () => {
  /** Stages named in this Dockerfile: `FROM build` names one, not an image without a tag. */
  const stages = [...DOCKERFILE.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);

  it(
    'dockerfilelint finds nothing (but a stage used as a base, which it takes for an image without a tag)',
    async () => {
      const lint = async (file: string) => {
        const result = await run(join(ROOT, 'node_modules/.bin/dockerfilelint'), ['-j', file]).catch((e: { stdout: string }) => e);
        const report = JSON.parse(result.stdout) as { files: Array<{ issues: Array<{ line: string; content: string; title: string }> }> };
        return report.files[0]!.issues.filter((i) => !(i.title === 'Base Image Missing Tag' && stages.includes(i.content.split(' ')[1])));
      };
      expect(await lint(join(ROOT, 'docker/Dockerfile'))).toEqual([]);
      const broken = join(server, 'Dockerfile.broken');
      writeFileSync(broken, 'FROM node\nRUN apt-get install curl\nHEALTHCHECK --interval CMD true\nNOPE x\n');
      expect((await lint(broken)).map((i) => i.title)).toEqual(expect.arrayContaining(['Base Image Missing Tag', 'Invalid Command']));
    },
    TIMEOUT_MS,
  );

  it('builds from the frozen lockfile with turbo, ships pnpm deploy --prod, runs as node under tini with a HEALTHCHECK', () => {
    expect(stages).toEqual(['base', 'build', 'runtime', 'toolbox']);
    expect(DOCKERFILE).toContain('pnpm install --frozen-lockfile');
    expect(DOCKERFILE).toContain('pnpm exec turbo run build');
    expect(readFileSync(join(ROOT, 'scripts/assemble-runtime.sh'), 'utf8')).toContain('deploy --prod');
    const runtime = DOCKERFILE.slice(DOCKERFILE.indexOf('AS runtime'), DOCKERFILE.indexOf('AS toolbox'));
    expect(runtime).toContain('USER node');
    expect(runtime).toMatch(/^HEALTHCHECK .* CMD \["node", "healthcheck\.mjs"\]$/m);
    expect(readFileSync(join(ROOT, 'docker/healthcheck.mjs'), 'utf8')).toContain('/api/health');
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    const toolbox = DOCKERFILE.slice(DOCKERFILE.indexOf('AS toolbox'));
    expect(toolbox).toContain('USER node');
    expect(toolbox).toContain('COPY scripts/backup-db.sh scripts/restore-db.sh docker/toolbox.sh /app/scripts/');
    expect(toolbox).toContain('@sentry/cli@');
    const toolboxSh = readFileSync(join(ROOT, 'docker/toolbox.sh'), 'utf8');
    for (const command of ['migrate)', 'db:seed)', 'backup)', 'restore)', 'sentry:sourcemaps)']) expect(toolboxSh).toContain(command);
  });

  it('.dockerignore keeps dependencies, build output, git and secrets out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', '**/node_modules', '**/dist', '.env', '.env.*', '.data']) expect(ignored).toContain(entry);
  });
});
