/**
 * The shipping workflows (issue 14): every workflow and the local action pass @action-validator/cli (its
 * schema of GitHub's workflow and action syntax); deploy.yml deploys staging on push to main and production
 * only by manual dispatch behind the "production" environment; images.yml pushes both images to GHCR;
 * Dependabot updates npm (minor and patch grouped), the actions and the Docker base images weekly.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VALIDATOR = join(ROOT, 'node_modules/.bin/action-validator');
const TIMEOUT_MS = 60_000;
const run = promisify(execFile);
const yamlOf = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8'));

async function validate(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(VALIDATOR, [path]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('@action-validator/cli', () => {
  it(
    'passes every workflow and the server-deploy action',
    async () => {
      const files = [...readdirSync(join(ROOT, '.github/workflows')).map((f) => `.github/workflows/${f}`), '.github/actions/server-deploy/action.yml'];
      expect(files).toEqual(expect.arrayContaining(['.github/workflows/deploy.yml', '.github/workflows/images.yml']));
      for (const file of files) {
        const result = await validate(join(ROOT, file));
        expect(result, file).toEqual({ code: 0, output: '' });
      }
    },
    TIMEOUT_MS,
  );

  it(
    'fails a workflow with a wrong key or type (the check can fail)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'aqb-action-validator-'));
      try {
        writeFileSync(join(dir, 'broken.yml'), 'on: push\njobs:\n  deploy:\n    runs-on: 42\n    environment: { approval: true }\n    stepz: []\n');
        const result = await validate(join(dir, 'broken.yml'));
        expect(result.code).not.toBe(0);
        expect(result.output).toContain('/jobs/deploy');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );
});

describe('deploy.yml, images.yml and dependabot.yml', () => {
  const deploy = yamlOf('.github/workflows/deploy.yml');
  const images = yamlOf('.github/workflows/images.yml');
  const action = yamlOf('.github/actions/server-deploy/action.yml');

  it('staging deploys on every push to main, after the images; production only by dispatch, behind its environment', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.on).toHaveProperty('workflow_dispatch');
    expect(deploy.jobs.images).toMatchObject({ if: "github.event_name == 'push'", uses: './.github/workflows/images.yml' });
    expect(deploy.jobs.staging).toMatchObject({ if: "github.event_name == 'push'", needs: 'images', environment: { name: 'staging' } });
    expect(deploy.jobs.production).toMatchObject({ if: "github.event_name == 'workflow_dispatch'", environment: { name: 'production' } });
    expect(deploy.jobs.production.needs).toBeUndefined();
    const deployStep = (job: string) => deploy.jobs[job].steps.find((s: { uses?: string }) => s.uses === './.github/actions/server-deploy').with;
    expect(deployStep('staging')).toMatchObject({
      'compose-file': 'docker/docker-compose.staging.yml',
      'health-url': 'https://aquoris-payment-staging.eidy.io/api/health',
    });
    expect(deployStep('production')).toMatchObject({ 'compose-file': 'docker/docker-compose.prod.yml', 'health-url': 'https://payment.aquoris.ai/api/health' });
    expect(deploy.concurrency['cancel-in-progress']).toBe(false);
  });

  it('the action runs scripts/deploy.sh on the server with the variables it reads', () => {
    const script = action.runs.steps.at(-1);
    expect(script.run).toContain('cd /opt/aquoris-payment');
    expect(script.run).toContain('scripts/deploy.sh');
    for (const variable of ['COMPOSE_FILE', 'HEALTH_URL', 'HEALTH_TIMEOUT', 'APP_IMAGE', 'TOOLBOX_IMAGE']) expect(script.run).toContain(`${variable}=`);
    expect(script.run).toContain('ghcr.io/eidy-trillionsure/aquoris-payment-toolbox:');
  });

  it('images.yml builds the runtime and toolbox targets of docker/Dockerfile and pushes both to GHCR, latest and sha', () => {
    expect(images.permissions).toMatchObject({ packages: 'write' });
    expect(images.jobs.build.strategy.matrix.include).toEqual([
      { target: 'runtime', image: 'aquoris-payment' },
      { target: 'toolbox', image: 'aquoris-payment-toolbox' },
    ]);
    const build = images.jobs.build.steps.find((s: { uses?: string }) => s.uses?.startsWith('docker/build-push-action')).with;
    expect(build).toMatchObject({ file: 'docker/Dockerfile', push: true, target: '${{ matrix.target }}' });
    expect(build.tags).toContain('${{ env.REGISTRY }}/${{ matrix.image }}:latest');
    expect(build.tags).toContain(':sha-${{ github.sha }}');
    expect(images.env.REGISTRY).toBe('ghcr.io/eidy-trillionsure');
  });

  it('Dependabot: weekly npm (minor and patch in one group), GitHub Actions and Docker base images', () => {
    const dependabot = yamlOf('.github/dependabot.yml');
    expect(dependabot.version).toBe(2);
    const byEcosystem = Object.fromEntries(dependabot.updates.map((u: { 'package-ecosystem': string }) => [u['package-ecosystem'], u]));
    expect(Object.keys(byEcosystem).sort()).toEqual(['docker', 'docker-compose', 'github-actions', 'npm']);
    for (const update of dependabot.updates) expect(update.schedule).toEqual({ interval: 'weekly' });
    expect(Object.values(byEcosystem.npm.groups)).toEqual([{ 'update-types': ['minor', 'patch'] }]);
    expect(byEcosystem.docker.directory).toBe('/docker');
  });
});
