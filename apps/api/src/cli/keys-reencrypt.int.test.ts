import { randomBytes } from 'node:crypto';
import { encryptSecret, reencryptApiKeys, revealApiKey, type CliActor, type Deps } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { spawnTs } from '../testing/process.ts';

// Rotating API_KEY_ENCRYPTION_SECRET: the stored keys were encrypted under the previous secret (here the
// test API's, derived from its ADMIN_SESSION_SECRET); `keys:reencrypt` moves them to the new one.

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

describe('reencryptApiKeys (core)', () => {
  it('refuses the current secret as the previous one', async () => {
    await expect(reencryptApiKeys(withSecret(newSecret), actor, { previousSecret: newSecret })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('is all or nothing: a key neither secret opens stops the run, naming its app, and no key is changed', async () => {
    // An app whose key was encrypted under a third secret (say, a rotation before the last one).
    const stray = await api.createApp({ slug: 'stray' });
    await db().app.update({ where: { id: stray.id }, data: { apiKeyCiphertext: encryptSecret(stray.apiKey, randomBytes(32).toString('hex')) } });
    const before = await ciphertexts();
    await expect(reencryptApiKeys(withSecret(newSecret), actor, { previousSecret: oldSecret })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('app stray'),
    });
    expect(await ciphertexts()).toEqual(before);
    expect(await db().auditLog.count({ where: { action: 'app.api_keys_reencrypted' } })).toBe(0);
    await db().app.delete({ where: { slug: 'stray' } });
  });
});

describe('pnpm aqb keys:reencrypt', () => {
  it('re-encrypts every key under the current secret from the variable it names, keys keep working, one audit entry', async () => {
    const { code, json, output } = await cli(['--from-secret-env', 'OLD_API_KEY_SECRET'], { OLD_API_KEY_SECRET: oldSecret });
    expect(code).toBe(0);
    expect(json).toEqual({ apps: 2, reencrypted: 2, alreadyCurrent: 0 });
    expect(output).not.toContain(oldSecret);
    for (const slug of ['alpha', 'beta']) expect((await revealApiKey(withSecret(newSecret), actor, slug)).apiKey).toBe(keys[slug]);
    await expect(revealApiKey(api.server.deps, actor, 'alpha')).rejects.toThrow(); // the old secret opens nothing now
    expect((await api.request('/api/v1/plans', { apiKey: keys.alpha })).status).toBe(200);
    const audit = await db().auditLog.findMany({ where: { action: 'app.api_keys_reencrypted' } });
    expect(audit).toMatchObject([{ actorType: 'CLI', targetType: 'app', details: { apps: 2, reencrypted: 2, alreadyCurrent: 0 } }]);
    expect(JSON.stringify(audit)).not.toContain(oldSecret);
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
