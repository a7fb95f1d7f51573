import { apps, stripeConfigs, type StripeConfigRow, type Tx } from '@aquoris/db';
import Stripe from 'stripe';
import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { isStripeError } from '../stripe/gateway.ts';
import { parseInput } from '../validation.ts';
import { forgetStripeClients } from './accounts.ts';
import { decryptStripeSecret, encryptStripeSecret, last4 } from './keys.ts';
import {
  PutStripeConfigInput,
  type StripeConfigView,
  type StripeMode,
  type StripeModeKeysInput,
  type StripeWebhookUrlsView,
  ValidateStripeConfigInput,
  type ValidateStripeConfigView,
} from './schemas.ts';

/** Whose configuration: the app itself (its API key) or an operator naming the app. */
type ConfigActor = Actor;

const PREFIXES: Record<StripeMode, { secret: RegExp; publishable: string; words: string }> = {
  test: { secret: /^(sk|rk)_test_/, publishable: 'pk_test_', words: 'sk_test_ or rk_test_' },
  live: { secret: /^(sk|rk)_live_/, publishable: 'pk_live_', words: 'sk_live_ or rk_live_' },
};

/** A 400 naming the field: a key of the other mode, or not a key of that kind at all. */
export function checkStripeKeyPrefixes(mode: StripeMode, keys: Pick<StripeModeKeysInput, 'secretKey'> & Partial<StripeModeKeysInput>): void {
  const rule = PREFIXES[mode];
  const problems: string[] = [];
  if (!rule.secret.test(keys.secretKey)) problems.push(`${mode}.secretKey: a ${mode}-mode key must start with ${rule.words}`);
  if (keys.publishableKey !== undefined && !keys.publishableKey.startsWith(rule.publishable)) {
    problems.push(`${mode}.publishableKey: a ${mode}-mode publishable key must start with ${rule.publishable}`);
  }
  if (keys.webhookSigningSecret !== undefined && !keys.webhookSigningSecret.startsWith('whsec_')) {
    problems.push(`${mode}.webhookSigningSecret: must start with whsec_`);
  }
  if (problems.length) throw new AppError('STRIPE_KEY_MODE_MISMATCH', problems.join('; '));
}

function modeView(row: StripeConfigRow | undefined): StripeConfigView['test'] {
  if (!row) return null;
  return {
    secretKeyLast4: row.secretKeyLast4,
    publishableKey: row.publishableKey,
    webhookSigningSecretLast4: row.webhookSecretLast4,
    setAt: row.setAt.toISOString(),
  };
}

async function viewOf(db: Deps['db']['kysely'] | Tx, appId: string): Promise<StripeConfigView> {
  const app = await apps.findById(db, appId);
  if (!app) throw new AppError('APP_NOT_FOUND', 'App not found');
  const active = await stripeConfigs.listActive(db, appId);
  return {
    account: active.length ? 'own' : 'platform',
    testMode: app.testMode,
    test: modeView(active.find((r) => r.mode === 'test')),
    live: modeView(active.find((r) => r.mode === 'live')),
  };
}

export async function getStripeConfig(deps: Pick<Deps, 'db'>, _actor: ConfigActor, appId: string): Promise<StripeConfigView> {
  return viewOf(deps.db.kysely, appId);
}

/**
 * Saves the app's own Stripe keys: each mode given gets a new row (the previous one deactivated, kept as
 * history), secrets encrypted. The mode the app will run in must have keys afterwards. One audit entry,
 * naming the modes and last 4 characters, never a secret.
 */
export async function putStripeConfig(deps: Deps, actor: ConfigActor, appId: string, raw: unknown): Promise<StripeConfigView> {
  const input = parseInput(PutStripeConfigInput, raw);
  const accounts = deps.stripeAccounts;
  if (!accounts) throw new AppError('SERVICE_UNAVAILABLE', 'Per-app Stripe accounts are not configured on this server (STRIPE_CONFIG_ENCRYPTION_KEY)');
  const given = (['test', 'live'] as const).flatMap((mode) => (input[mode] ? [{ mode, keys: input[mode] }] : []));
  for (const { mode, keys } of given) checkStripeKeyPrefixes(mode, keys);
  const now = deps.clock.now();
  const { view, replaced } = await deps.db.transaction(async (tx) => {
    const app = await apps.findByIdForUpdate(tx, appId);
    if (!app) throw new AppError('APP_NOT_FOUND', 'App not found');
    const before = await stripeConfigs.listActive(tx, appId);
    const runMode: StripeMode = input.testMode ? 'test' : 'live';
    if (!given.some((g) => g.mode === runMode) && !before.some((r) => r.mode === runMode)) {
      throw new AppError('VALIDATION_ERROR', `${runMode}: keys are required for ${input.testMode ? 'test mode' : 'live mode (testMode false)'}`);
    }
    for (const { mode, keys } of given) {
      await stripeConfigs.deactivate(tx, appId, now, mode);
      const secret = encryptStripeSecret(accounts.keys, keys.secretKey);
      const webhook = encryptStripeSecret(accounts.keys, keys.webhookSigningSecret);
      await stripeConfigs.insert(tx, {
        appId,
        mode,
        secretKeyCiphertext: secret.ciphertext,
        secretKeyLast4: last4(keys.secretKey),
        publishableKey: keys.publishableKey,
        webhookSecretCiphertext: webhook.ciphertext,
        webhookSecretLast4: last4(keys.webhookSigningSecret),
        encryptionKeyId: secret.keyId,
        setAt: now,
      });
    }
    if (app.testMode !== input.testMode) await apps.update(tx, appId, { testMode: input.testMode });
    const view = await viewOf(tx, appId);
    await recordAudit(tx, actor, {
      action: 'app.stripe_config.set',
      targetType: 'app',
      targetId: appId,
      details: {
        testMode: input.testMode,
        modes: given.map((g) => g.mode),
        secretKeyLast4: Object.fromEntries(given.map((g) => [g.mode, last4(g.keys.secretKey)])),
      },
    });
    return { view, replaced: before.filter((r) => given.some((g) => g.mode === r.mode)) };
  });
  forgetStripeClients(deps, replaced);
  return view;
}

/** Back to the platform account: every active row deactivated (kept as history); testMode back to true. */
export async function deactivateStripeConfig(deps: Deps, actor: ConfigActor, appId: string): Promise<StripeConfigView> {
  const { view, before } = await deps.db.transaction(async (tx) => {
    const app = await apps.findByIdForUpdate(tx, appId);
    if (!app) throw new AppError('APP_NOT_FOUND', 'App not found');
    const before = await stripeConfigs.listActive(tx, appId);
    const deactivated = await stripeConfigs.deactivate(tx, appId, deps.clock.now());
    if (!app.testMode) await apps.update(tx, appId, { testMode: true });
    await recordAudit(tx, actor, { action: 'app.stripe_config.deactivated', targetType: 'app', targetId: appId, details: { deactivated } });
    return { view: await viewOf(tx, appId), before };
  });
  forgetStripeClients(deps, before);
  return view;
}

/**
 * One cheap call with the key (the account it belongs to): the account id and the key's mode, or
 * STRIPE_KEY_INVALID in Stripe's words when Stripe refuses the key (unknown, revoked, expired).
 */
export async function validateStripeConfig(deps: Deps, actor: ConfigActor, appId: string, raw: unknown): Promise<ValidateStripeConfigView> {
  const input = parseInput(ValidateStripeConfigInput, raw);
  const accounts = deps.stripeAccounts;
  if (!accounts) throw new AppError('SERVICE_UNAVAILABLE', 'Per-app Stripe accounts are not configured on this server (STRIPE_CONFIG_ENCRYPTION_KEY)');
  let secretKey = input.secretKey;
  if (secretKey === undefined) {
    const row = await stripeConfigs.findActive(deps.db.kysely, appId, input.mode);
    if (!row) throw new AppError('STRIPE_NOT_CONFIGURED', `No ${input.mode} keys saved for this app; send secretKey to validate a key before saving it`);
    secretKey = decryptStripeSecret(accounts.keys, row.secretKeyCiphertext, row.encryptionKeyId);
  }
  checkStripeKeyPrefixes(input.mode, { secretKey });
  let account: Stripe.Account;
  try {
    account = await accounts.createClient(secretKey).accounts.retrieveCurrent();
  } catch (error) {
    if (isStripeError(error) && (error.statusCode === 401 || error.statusCode === 403)) {
      // Stripe's message shows only the key's first and last characters.
      throw new AppError('STRIPE_KEY_INVALID', `Stripe refused the ${input.mode} key ending in ${last4(secretKey)}: ${error.message}`);
    }
    deps.log.error(
      { appId, mode: input.mode, stripe: isStripeError(error) ? { type: error.type, code: error.code, statusCode: error.statusCode } : {} },
      'Stripe key validation failed',
    );
    throw new AppError('PROVIDER_ERROR', 'Stripe account retrieve failed', { cause: error });
  }
  await recordAudit(deps.db.kysely, actor, {
    action: 'app.stripe_config.validated',
    targetType: 'app',
    targetId: appId,
    details: { mode: input.mode, accountId: account.id, secretKeyLast4: last4(secretKey) },
  });
  return { valid: true, accountId: account.id, mode: input.mode };
}

/** The URL to paste into the app's Stripe account, per mode. */
export function stripeWebhookUrls(deps: Pick<Deps, 'config'>, appId: string): StripeWebhookUrlsView {
  const base = `${deps.config.publicUrl}/api/v1/webhooks/stripe/${encodeURIComponent(appId)}`;
  return { test: `${base}/test`, live: `${base}/live` };
}

/** The signing secret of the app's active row of that mode, or null (no such app, mode or configuration). */
export async function stripeWebhookSecretFor(deps: Deps, appId: string, mode: StripeMode): Promise<string | null> {
  const accounts = deps.stripeAccounts;
  if (!accounts) return null;
  const row = await stripeConfigs.findActive(deps.db.kysely, appId, mode);
  return row ? decryptStripeSecret(accounts.keys, row.webhookSecretCiphertext, row.encryptionKeyId) : null;
}
