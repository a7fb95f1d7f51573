import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptSecret } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { reencryptApiKeys } from './reencrypt.ts';
import { createApp, revealApiKey } from './service.ts';

// Rotating API_KEY_ENCRYPTION_SECRET: the stored keys were encrypted under the previous secret (the
// test deps' own); reencryptApiKeys moves them to the current one.

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const newSecret = randomBytes(32).toString('hex');
/** The deps as a process configured with another encryption secret sees them. */
const withSecret = (secret: string): Deps => ({ ...deps(), config: { ...deps().config, apiKeyEncryptionSecret: secret } });
const oldSecret = () => deps().config.apiKeyEncryptionSecret;

const ciphertexts = async () => (await deps().db.kysely.selectFrom('apps').select('apiKeyCiphertext').orderBy('slug').execute()).map((a) => a.apiKeyCiphertext);
const reencryptAudits = () => deps().db.kysely.selectFrom('audit_logs').selectAll().where('action', '=', 'app.api_keys_reencrypted').execute();

describe('reencryptApiKeys', () => {
  const keys: Record<string, string> = {};

  it('refuses the current secret as the previous one', async () => {
    await expect(reencryptApiKeys(withSecret(newSecret), ops, { previousSecret: newSecret })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('is all or nothing: a key neither secret opens stops the run, naming its app, and no key is changed', async () => {
    for (const slug of ['alpha', 'beta']) keys[slug] = (await createApp(deps(), ops, { slug, name: slug, returnUrl: 'https://example.com/' })).apiKey;
    // An app whose key was encrypted under a third secret (say, a rotation before the last one).
    const stray = await createApp(deps(), ops, { slug: 'stray', name: 'Stray', returnUrl: 'https://example.com/' });
    const strayCiphertext = encryptSecret(stray.apiKey, randomBytes(32).toString('hex'));
    await deps().db.kysely.updateTable('apps').set({ apiKeyCiphertext: strayCiphertext }).where('id', '=', stray.app.id).execute();
    const before = await ciphertexts();
    await expect(reencryptApiKeys(withSecret(newSecret), ops, { previousSecret: oldSecret() })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('app stray'),
    });
    expect(await ciphertexts()).toEqual(before);
    expect(await reencryptAudits()).toHaveLength(0);
    await deps().db.kysely.deleteFrom('audit_logs').where('targetId', '=', stray.app.id).execute();
    await deps().db.kysely.deleteFrom('apps').where('id', '=', stray.app.id).execute();
  });

  it('re-encrypts every key under the current secret, which alone opens them now, with one audit entry that holds no secret', async () => {
    expect(await reencryptApiKeys(withSecret(newSecret), ops, { previousSecret: oldSecret() })).toEqual({ apps: 2, reencrypted: 2, alreadyCurrent: 0 });
    for (const slug of ['alpha', 'beta']) expect((await revealApiKey(withSecret(newSecret), ops, slug)).apiKey).toBe(keys[slug]);
    await expect(revealApiKey(deps(), ops, 'alpha')).rejects.toThrow(); // the old secret opens nothing now
    const audit = await reencryptAudits();
    expect(audit).toMatchObject([{ actorType: 'CLI', actorId: 'ops', targetType: 'app', details: { apps: 2, reencrypted: 2, alreadyCurrent: 0 } }]);
    expect(JSON.stringify(audit)).not.toContain(oldSecret());
    expect(JSON.stringify(audit)).not.toContain(newSecret);
  });

  it('is idempotent: run again, it changes nothing and says so', async () => {
    const before = await ciphertexts();
    expect(await reencryptApiKeys(withSecret(newSecret), ops, { previousSecret: oldSecret() })).toEqual({ apps: 2, reencrypted: 0, alreadyCurrent: 2 });
    expect(await ciphertexts()).toEqual(before);
  });
});
