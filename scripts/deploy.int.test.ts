/**
 * The deploy drill (issue 14): scripts/deploy.sh with a recording fake `docker` first on PATH
 * (testing/fake-docker.mjs) and a local health endpoint. A healthy deploy runs the guide's steps in order
 * with no rollback; one whose health check never passes rolls back and exits non-zero; a failed backup or
 * migration stops before the new image starts.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runScript } from './testing/run-script.ts';

const REPOSITORY = 'ghcr.io/eidy-trillionsure/aquoris-payment';
const TOOLBOX = 'ghcr.io/eidy-trillionsure/aquoris-payment-toolbox:sha-abc123';
const COMPOSE = ['compose', '--env-file', '.env', '-f', 'docker/docker-compose.staging.yml'];

let dir: string;
let log: string;
let healthUrl: string;
/** What the health endpoint answers; it sees the log, so it can answer as the image that runs would. */
let healthStatus: () => number;
let closeHealth: () => Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aqb-deploy-drill-'));
  symlinkSync(join(REPO, 'scripts/testing/docker'), join(dir, 'docker'));
  const server = createServer((_req, res) => {
    const status = healthStatus();
    appendFileSync(log, `${JSON.stringify({ health: status })}\n`);
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  healthUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/health`;
  closeHealth = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await closeHealth?.();
  rmSync(dir, { recursive: true, force: true });
});

let run = 0;
afterEach(() => rmSync(join(dir, 'backups'), { recursive: true, force: true }));

interface Call {
  docker?: string[];
  APP_IMAGE?: string | null;
  health?: number;
}

/** deploy.sh as the workflow runs it, with the fake docker; returns its result and every call in order. */
async function deploy(fake: Record<string, string> = {}, env: Record<string, string> = {}) {
  log = join(dir, `calls-${++run}.jsonl`);
  writeFileSync(log, '');
  const result = await runScript('scripts/deploy.sh', [], {
    PATH: `${dir}:${process.env.PATH}`,
    COMPOSE_FILE: 'docker/docker-compose.staging.yml',
    APP_IMAGE: `${REPOSITORY}:sha-abc123`,
    TOOLBOX_IMAGE: TOOLBOX,
    HEALTH_URL: healthUrl,
    HEALTH_TIMEOUT: '2',
    HEALTH_INTERVAL: '0.2',
    BACKUP_DIR: join(dir, 'backups'),
    FAKE_DOCKER_LOG: log,
    FAKE_RUNNING_APP: 'c0ffee',
    ...fake,
    ...env,
  });
  const calls = readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
  return { ...result, calls };
}

/** A call as one short line: docker's arguments with the compose prefix and the toolbox's run options folded. */
function label(call: Call): string {
  if (call.health) return `health ${call.health}`;
  const argv = call.docker!;
  if (argv[0] === 'compose') {
    expect(argv.slice(0, COMPOSE.length)).toEqual(COMPOSE);
    return `compose ${argv.slice(COMPOSE.length).join(' ')}`;
  }
  if (argv[0] === 'run') {
    expect(argv.slice(0, 6)).toEqual(['run', '--rm', '--network', 'aquoris-payment_internal', '--env-file', '.env']);
    expect(argv.at(-2)).toBe(TOOLBOX);
    return `toolbox ${argv.at(-1)}`;
  }
  return argv.join(' ');
}

/** The health polls collapsed to one line per run of equal answers. */
const steps = (calls: Call[]) => calls.map(label).filter((line, i, all) => !(line.startsWith('health') && all[i - 1] === line));

const BEFORE_THE_NEW_IMAGE = [
  `pull ${REPOSITORY}:sha-abc123`,
  `pull ${TOOLBOX}`,
  'compose up -d postgres redis',
  `compose exec -T postgres sh -c pg_isready -q -U "$POSTGRES_USER" -d "$POSTGRES_DB"`,
  'toolbox backup',
  'toolbox migrate',
  'compose ps -q app',
  'inspect --format {{.Image}} c0ffee',
  `tag sha256:0ld1mage ${REPOSITORY}:rollback`,
  `tag ${REPOSITORY}:sha-abc123 ${REPOSITORY}:latest`,
  'compose up -d --remove-orphans',
];

describe('deploy.sh with a fake docker', () => {
  it('healthy: the steps in the guide’s order, compose runs :latest, no rollback, exit 0', async () => {
    healthStatus = () => 200;
    const result = await deploy({ FAKE_PG_NOT_READY: '1' });
    expect(result.code, result.stderr).toBe(0);
    const expected = [...BEFORE_THE_NEW_IMAGE, 'health 200', 'toolbox sentry:sourcemaps'];
    // PostgreSQL answered the second pg_isready: the wait is a loop.
    expected.splice(4, 0, expected[3]!);
    expect(steps(result.calls)).toEqual(expected);
    const up = result.calls.find((c) => c.docker?.includes('--remove-orphans'));
    expect(up?.APP_IMAGE).toBe(`${REPOSITORY}:latest`);
    const backup = result.calls.find((c) => c.docker?.at(-1) === 'backup')!.docker!;
    expect(backup).toEqual(expect.arrayContaining(['--volume', `${join(dir, 'backups')}:/backups`, '--env', 'BACKUP_DIR=/backups']));
    expect(result.stdout).toContain(`backup: ${join(dir, 'backups')}/payment-20261204-120000.sql.gz`);
    expect(result.stdout).toContain('step 8/9: healthy; no rollback');
    expect(result.stdout).toContain(`done: ${REPOSITORY}:sha-abc123 is live`);
  });

  it('health never passes: after HEALTH_TIMEOUT it retags :rollback as :latest, recreates through compose, exits 1', async () => {
    const rolledBack = () => readFileSync(log, 'utf8').includes(`"tag","${REPOSITORY}:rollback","${REPOSITORY}:latest"`);
    // The new image never answers 200; the previous one, back after the rollback, does.
    healthStatus = () => (rolledBack() ? 200 : 503);
    const started = Date.now();
    const result = await deploy();
    expect(result.code).toBe(1);
    expect(steps(result.calls)).toEqual([
      ...BEFORE_THE_NEW_IMAGE,
      'health 503',
      `tag ${REPOSITORY}:rollback ${REPOSITORY}:latest`,
      'compose up -d --no-deps --force-recreate app worker',
      'health 200',
    ]);
    // It waited HEALTH_TIMEOUT (2 s) before giving up, polling every HEALTH_INTERVAL.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(result.calls.filter((c) => c.health === 503).length).toBeGreaterThanOrEqual(5);
    expect(result.stderr).toContain('did not answer 200 within 2s; rolled back to the previous image, which answers');
  });

  it('a first deploy that fails its health check has nothing to roll back to: exit 1, no retag', async () => {
    healthStatus = () => 503;
    const result = await deploy({ FAKE_RUNNING_APP: '' });
    expect(result.code).toBe(1);
    expect(steps(result.calls).filter((s) => s.startsWith('tag'))).toEqual([`tag ${REPOSITORY}:sha-abc123 ${REPOSITORY}:latest`]);
    expect(result.stderr).toContain('there is no previous image to roll back to (first deploy)');
  });

  it.each([
    ['the backup fails', { FAKE_BACKUP: 'fail' }, 'toolbox backup', 'the pre-deploy backup failed'],
    ['the backup is empty', { FAKE_BACKUP: 'empty' }, 'toolbox backup', 'is missing or empty'],
    ['the migrations fail', { FAKE_MIGRATE: 'fail' }, 'toolbox migrate', 'migrations failed; the running version was not touched'],
  ])('%s: it stops there, before the new image is tagged or started, exit 1', async (_what, fake, last, message) => {
    healthStatus = () => 200;
    const result = await deploy(fake);
    expect(result.code).toBe(1);
    const done = steps(result.calls);
    expect(done.at(-1)).toBe(last);
    expect(done.some((s) => s.startsWith('tag') || s.includes('--remove-orphans') || s.startsWith('health'))).toBe(false);
    expect(result.stderr).toContain(message);
  });

  it('refuses to start without COMPOSE_FILE or HEALTH_URL, or with an APP_IMAGE that has no tag', async () => {
    for (const [env, message] of [
      [{ COMPOSE_FILE: '' }, 'COMPOSE_FILE is required'],
      [{ HEALTH_URL: '' }, 'HEALTH_URL is required'],
      [{ APP_IMAGE: 'localhost:5000/aquoris-payment' }, 'APP_IMAGE must be REPOSITORY:TAG'],
    ] as const) {
      const result = await deploy({}, env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(message);
      expect(result.calls).toEqual([]);
    }
    expect(existsSync(join(dir, 'backups'))).toBe(false);
  });
});
