import { stripeConfigs } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { decryptStripeSecret, encryptStripeSecret } from './keys.ts';

export interface ReencryptStripeConfigsResult {
  reencrypted: number;
  /** The key id every row is under afterwards. */
  keyId: string;
}

/**
 * After STRIPE_CONFIG_ENCRYPTION_KEY is rotated (the old one moved to STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS):
 * every configuration row, active or history, under another key is encrypted again under the current one,
 * in one transaction, with one audit entry. Idempotent (rows already under the current key are left alone);
 * a row under a key this server does not have stops the run with nothing changed.
 */
export async function reencryptStripeConfigs(deps: Pick<Deps, 'db' | 'stripeAccounts'>, actor: OperatorActor): Promise<ReencryptStripeConfigsResult> {
  const accounts = deps.stripeAccounts;
  if (!accounts) throw new AppError('SERVICE_UNAVAILABLE', 'Per-app Stripe accounts are not configured on this server (STRIPE_CONFIG_ENCRYPTION_KEY)');
  const { keys } = accounts;
  return deps.db.transaction(async (tx) => {
    const rows = await stripeConfigs.listNotUnderKey(tx, keys.current.id);
    let reencrypted = 0;
    for (const row of rows) {
      const secretKey = decryptStripeSecret(keys, row.secretKeyCiphertext, row.encryptionKeyId);
      const webhookSecret = decryptStripeSecret(keys, row.webhookSecretCiphertext, row.encryptionKeyId);
      const next = {
        secretKeyCiphertext: encryptStripeSecret(keys, secretKey).ciphertext,
        webhookSecretCiphertext: encryptStripeSecret(keys, webhookSecret).ciphertext,
        encryptionKeyId: keys.current.id,
      };
      if (!(await stripeConfigs.replaceCiphertexts(tx, row, next))) {
        throw new AppError('SERVICE_UNAVAILABLE', `The Stripe configuration ${row.id} changed during the run; nothing was changed: run it again`);
      }
      reencrypted++;
    }
    await recordAudit(tx, actor, { action: 'app.stripe_configs_reencrypted', targetType: 'app', details: { reencrypted, keyId: keys.current.id } });
    return { reencrypted, keyId: keys.current.id };
  });
}
