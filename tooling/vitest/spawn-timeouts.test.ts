/**
 * Every test that spawns a process, a compiler or a browser has a timeout sized for a busy machine
 * (issue 11: tsc under vitest's default 5 s timed out in 3 of 4 runs at load 5–9). A test file counts as
 * spawning when it imports node:child_process or playwright-core, or calls one of the harnesses that
 * spawn (spawnTs, ensureBuilt, startE2E). Then:
 * - its project's testTimeout and hookTimeout are at least MIN_MS, unless it is one of the fast
 *   projects (unit, stripe-emulator, billing-web), where each test or hook whose body spawns must
 *   carry its own timeout of at least MIN_MS;
 * - no timeout written in the file (per test, per hook, per describe) is below MIN_MS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const MIN_MS = 60_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SPAWNS = /from 'node:child_process'|from 'playwright-core'|\b(spawnTs|ensureBuilt|startE2E|useE2E)\(/;
const SPAWN_CALL = /\b(spawn\w*|execFile\w*|exec|run|launch|ensureBuilt|startE2E|useE2E)\s*\(/;
const TEST_CALLS = new Set(['it', 'test', 'describe', 'beforeAll', 'beforeEach', 'afterAll', 'afterEach']);
const HOOKS = new Set(['beforeAll', 'beforeEach', 'afterAll', 'afterEach']);
const FAST_PROJECTS: Array<[string, RegExp]> = [
  ['billing-web', /^apps\/billing-web\/src\//],
  ['stripe-emulator', /^packages\/stripe-emulator\//],
  ['unit', /^(packages\/core\/src|apps\/api\/src|tooling)\/.*(?<!\.int)\.test\.tsx?$/],
];

function testFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) testFiles(path, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(relative(ROOT, path));
  }
  return out;
}

interface Timeout {
  call: string;
  line: number;
  /** null: written, but not as a number this check can read. */
  ms: number | null | undefined;
  spawns: boolean;
}

/** Each it/test/describe/hook call in the file with the timeout written on it (undefined: none). */
function timeoutsIn(file: string): Timeout[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, number>();
  const numberOf = (node: ts.Node): number | null => {
    if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ''));
    if (ts.isIdentifier(node)) return constants.get(node.text) ?? null;
    return null;
  };
  const found: Timeout[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isNumericLiteral(node.initializer)) {
      constants.set(node.name.text, Number(node.initializer.text.replace(/_/g, '')));
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && TEST_CALLS.has(node.expression.text)) {
      const call = node.expression.text;
      const args = [...node.arguments];
      const body = args.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
      let ms: number | null | undefined;
      for (const arg of args.slice(HOOKS.has(call) ? 1 : 1)) {
        if (arg === body) continue;
        if (ts.isObjectLiteralExpression(arg)) {
          const prop = arg.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'timeout') as ts.PropertyAssignment | undefined;
          if (prop) ms = numberOf(prop.initializer);
        } else if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) {
          ms = numberOf(arg);
        }
      }
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ call, line, ms, spawns: call !== 'describe' && body !== undefined && SPAWN_CALL.test(body.getText()) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

interface ProjectTest {
  name?: string;
  testTimeout?: number;
  hookTimeout?: number;
  include?: string[];
}

async function projectConfigs(): Promise<ProjectTest[]> {
  const root = (await import(pathToFileURL(join(ROOT, 'vitest.config.ts')).href)).default as { test: { projects: Array<string | { test: ProjectTest }> } };
  const configs: ProjectTest[] = [];
  for (const entry of root.test.projects) {
    if (typeof entry !== 'string') configs.push(entry.test);
    else {
      const path = entry.endsWith('.ts') ? entry : `${entry}/vitest.config.ts`;
      configs.push(((await import(pathToFileURL(join(ROOT, path)).href)).default as { test: ProjectTest }).test);
    }
  }
  return configs;
}

/** The project a slow-project file belongs to, by the same directories the configs name. */
function slowProjectOf(file: string): string {
  if (file.startsWith('apps/billing-web/e2e/')) return 'billing-web-e2e';
  if (file.startsWith('packages/sdk/')) return 'sdk';
  return 'integration';
}

const spawning = testFiles(ROOT)
  .filter((file) => !file.startsWith('tooling/vitest/spawn-timeouts'))
  .filter((file) => SPAWNS.test(readFileSync(join(ROOT, file), 'utf8')));

describe('timeouts of tests that spawn processes, compilers or browsers', () => {
  it('finds the spawning test files (the check looks at something)', () => {
    expect(spawning).toEqual(
      expect.arrayContaining(['packages/sdk/test/package.test.ts', 'apps/api/src/main.int.test.ts', 'apps/billing-web/e2e/manage.e2e.test.ts']),
    );
  });

  it(`every spawning test, hook and describe has at least ${MIN_MS / 1000} s`, async () => {
    const projects = new Map((await projectConfigs()).map((p) => [p.name, p]));
    const problems: string[] = [];
    for (const file of spawning) {
      const fast = FAST_PROJECTS.find(([, pattern]) => pattern.test(file))?.[0];
      if (!fast) {
        const name = slowProjectOf(file);
        const project = projects.get(name);
        if (!project) problems.push(`${file}: project ${name} not found`);
        else if ((project.testTimeout ?? 5_000) < MIN_MS || (project.hookTimeout ?? 10_000) < MIN_MS) {
          problems.push(`${file}: project ${name} has testTimeout ${project.testTimeout ?? 5_000}, hookTimeout ${project.hookTimeout ?? 10_000}`);
        }
      }
      for (const t of timeoutsIn(file)) {
        if (t.ms === null) problems.push(`${file}:${t.line} ${t.call}: a timeout this check cannot read (use a number or a const)`);
        else if (t.ms !== undefined && t.ms < MIN_MS) problems.push(`${file}:${t.line} ${t.call}: ${t.ms} ms`);
        else if (fast && t.spawns && t.ms === undefined) problems.push(`${file}:${t.line} ${t.call}: spawns with the ${fast} project's default timeout`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the check fails on what issue 11 hit: a tsc run under a 30 s (or default) timeout', () => {
    const bad = timeoutsIn('tooling/vitest/fixtures/short-spawn-timeout.txt');
    expect(bad.map((t) => [t.call, t.ms, t.spawns])).toEqual([
      ['describe', undefined, false],
      ['it', 30_000, true],
      ['beforeAll', undefined, true],
    ]);
  });
});
