import { randomBytes } from 'node:crypto';
import { createStripeAccounts, stripeConfigKey, stripeWebhookSecretFor } from '@aquoris/core';
import { startStripeEmulator, type AccountKeys, type StripeEmulator } from '@aquoris/stripe-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { spawnTs } from '../testing/process.ts';

// The CLI transport of the Stripe configuration services (their rules: src/stripe/accounts.int.test.ts): secrets
// read from the variables named and never printed, the JSON printed, and the re-encryption after a key rotation.

let api: TestApi;
let emulator: StripeEmulator;
let account: AccountKeys;
let app: { id: string; slug: string };
const newKey = randomBytes(32).toString('hex');

beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0 });
  api = await startTestApi({ env: { STRIPE_SECRET_KEY: 'sk_test_emulator', STRIPE_API_BASE: emulator.url } });
  app = await api.createApp();
  const res = await fetch(`${emulator.url}/__emulator/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  account = (await res.json()) as AccountKeys;
}, 60_000);
afterAll(async () => {
  await api?.close();
  await emulator?.close();
});

function cli(args: string[], env: Record<string, string> = {}) {
  const proc = spawnTs('src/cli/main.ts', args, {
    DATABASE_URL: api.databaseUrl,
    SESSION_SECRET: api.env.SESSION_SECRET,
    ADMIN_SESSION_SECRET: api.env.ADMIN_SESSION_SECRET,
    REDIS_KEY_PREFIX: api.env.REDIS_KEY_PREFIX,
    STRIPE_SECRET_KEY: 'sk_test_emulator',
    STRIPE_API_BASE: emulator.url,
    NODE_ENV: 'test',
    ...env,
  });
  return proc.exited.then((code) => ({ code, json: JSON.parse(proc.stdout() || 'null'), output: proc.stdout() + proc.stderr() }));
}

describe('pnpm aqb stripe:config:*', () => {
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;

  it('sets a mode from secrets in named variables, prints only their last 4 characters, and validates against the account', async () => {
    const set = await cli(
      [
        'stripe:config:set',
        '--app',
        app.slug,
        '--mode',
        'live',
        '--secret-key-env',
        'SK',
        '--publishable-key',
        account.live.publishableKey,
        '--webhook-secret-env',
        'WH',
        '--test-mode',
        'false',
      ],
      { SK: account.live.secretKey, WH: webhookSecret },
    );
    expect(set.code).toBe(0);
    expect(set.json).toMatchObject({ account: 'own', testMode: false, live: { secretKeyLast4: account.live.secretKey.slice(-4) } });
    expect(set.output).not.toContain(account.live.secretKey);
    expect(set.output).not.toContain(webhookSecret);
    const validated = await cli(['stripe:config:validate', '--app', app.slug, '--mode', 'live']);
    expect(validated.json).toEqual({ valid: true, accountId: account.id, mode: 'live' });
    expect(await api.prisma.auditLog.count({ where: { action: { startsWith: 'app.stripe_config' }, actorType: 'CLI' } })).toBe(2);
  });

  it('re-encrypts every row under a rotated key, and the secrets still open with it', async () => {
    const oldKey = api.env.stripeConfigEncryptionKey;
    const rotated = await cli(['stripe:config:reencrypt'], { STRIPE_CONFIG_ENCRYPTION_KEY: newKey, STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(rotated.code).toBe(0);
    expect(rotated.json).toEqual({ reencrypted: 1, keyId: stripeConfigKey(newKey).id });
    const deps = {
      ...api.server.deps,
      stripeAccounts: createStripeAccounts({
        keys: { current: stripeConfigKey(newKey) },
        createClient: () => api.server.deps.stripe!,
        platformLivemode: false,
      }),
    };
    expect(await stripeWebhookSecretFor(deps, app.id, 'live')).toBe(webhookSecret);
    const again = await cli(['stripe:config:reencrypt'], { STRIPE_CONFIG_ENCRYPTION_KEY: newKey, STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS: oldKey });
    expect(again.json).toMatchObject({ reencrypted: 0 });
  });
});
