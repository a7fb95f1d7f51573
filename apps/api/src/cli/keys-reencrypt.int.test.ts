import { randomBytes } from 'node:crypto';
import { revealApiKey, type CliActor, type Deps } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { spawnTs } from '../testing/process.ts';

// The CLI transport of reencryptApiKeys (its rules are tested in packages/core/src/apps/reencrypt.int.test.ts):
// where the previous secret comes from, the JSON it prints, exit codes, and that no secret is echoed.

let api: TestApi;
let oldSecret: string;
const newSecret = randomBytes(32).toString('hex');
const actor: CliActor = { type: 'cli', user: 'test' };
const keys: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi();
  oldSecret = api.server.deps.config.apiKeyEncryptionSecret;
  for (const slug of ['alpha', 'beta']) keys[slug] = (await api.createApp({ slug })).apiKey;
});
afterAll(() => api?.close());

/** The API's deps as a process configured with another encryption secret sees them. */
const withSecret = (secret: string): Deps => ({ ...api.server.deps, config: { ...api.server.deps.config, apiKeyEncryptionSecret: secret } });
const db = () => api.prisma;
const ciphertexts = async () =>
  (await db().app.findMany({ orderBy: { slug: 'asc' }, select: { slug: true, apiKeyCiphertext: true } })).map((a) => a.apiKeyCiphertext);

function cli(args: string[], extraEnv: Record<string, string> = {}, stdin?: string) {
  const proc = spawnTs('src/cli/main.ts', ['keys:reencrypt', ...args], {
    DATABASE_URL: api.databaseUrl,
    SESSION_SECRET: api.env.SESSION_SECRET,
    ADMIN_SESSION_SECRET: api.env.ADMIN_SESSION_SECRET,
    REDIS_KEY_PREFIX: api.env.REDIS_KEY_PREFIX,
    NODE_ENV: 'test',
    API_KEY_ENCRYPTION_SECRET: newSecret,
    ...extraEnv,
  });
  if (stdin !== undefined) proc.child.stdin.end(stdin);
  return proc.exited.then((code) => ({ code, json: JSON.parse(proc.stdout()), output: proc.stdout() + proc.stderr() }));
}

describe('pnpm aqb keys:reencrypt', () => {
  it('re-encrypts every key under the current secret from the variable it names, and keys keep working', async () => {
    const { code, json, output } = await cli(['--from-secret-env', 'OLD_API_KEY_SECRET'], { OLD_API_KEY_SECRET: oldSecret });
    expect(code).toBe(0);
    expect(json).toEqual({ apps: 2, reencrypted: 2, alreadyCurrent: 0 });
    expect(output).not.toContain(oldSecret);
    for (const slug of ['alpha', 'beta']) expect((await revealApiKey(withSecret(newSecret), actor, slug)).apiKey).toBe(keys[slug]);
    expect((await api.request('/api/v1/plans', { apiKey: keys.alpha })).status).toBe(200);
    expect(await db().auditLog.count({ where: { action: 'app.api_keys_reencrypted', actorType: 'CLI' } })).toBe(1);
  });

  it('is idempotent: run again (secret on stdin), it changes nothing and says so', async () => {
    const before = await ciphertexts();
    const { code, json } = await cli(['--from-stdin'], {}, `${oldSecret}\n`);
    expect(code).toBe(0);
    expect(json).toEqual({ apps: 2, reencrypted: 0, alreadyCurrent: 2 });
    expect(await ciphertexts()).toEqual(before);
  });

  it.each([
    [[], {}, 'exactly one of'],
    [['--from-secret-env', 'OLD', '--from-stdin'], { OLD: oldSecret }, 'exactly one of'],
    [['--from-secret-env', 'MISSING_SECRET'], {}, 'MISSING_SECRET is required but missing'],
    [['--from-secret-env', 'SHORT'], { SHORT: 'too-short-secret' }, 'SHORT must be at least 32 characters'],
  ] as const)('%j is a VALIDATION_ERROR that never echoes a value', async (args, env, message) => {
    const { code, json, output } = await cli([...args], env);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining(message) });
    expect(output).not.toContain('too-short-secret');
  });
});
