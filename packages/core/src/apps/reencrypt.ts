import { apps } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { decryptSecretOrNull, encryptSecret, hashApiKey } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

export interface ReencryptApiKeysInput {
  /** The API_KEY_ENCRYPTION_SECRET the keys were encrypted with before the rotation. */
  previousSecret: string;
}

export interface ReencryptApiKeysResult {
  apps: number;
  reencrypted: number;
  alreadyCurrent: number;
}

/**
 * After API_KEY_ENCRYPTION_SECRET is rotated: every stored API key that the previous secret opens is
 * encrypted again under the current one (deps.config), in one transaction, with one audit entry.
 * Idempotent: keys the current secret already opens are left alone, so a second run changes nothing.
 * A key that neither secret opens stops the run with nothing changed: the previous secret is wrong.
 */
export async function reencryptApiKeys(deps: Pick<Deps, 'db' | 'config'>, actor: OperatorActor, input: ReencryptApiKeysInput): Promise<ReencryptApiKeysResult> {
  const current = deps.config.apiKeyEncryptionSecret;
  if (input.previousSecret === current) {
    throw new AppError('VALIDATION_ERROR', 'previousSecret: is the current API_KEY_ENCRYPTION_SECRET; give the one the keys were encrypted with');
  }
  return deps.db.transaction(async (tx) => {
    const keys = await apps.listStoredApiKeys(tx);
    let reencrypted = 0;
    const unreadable: string[] = [];
    for (const listed of keys) {
      // A rotation committed since the list was read has already written under the current secret: read the row again once.
      for (const key of [listed, null]) {
        const row = key ?? (await apps.findStoredApiKey(tx, listed.id));
        if (!row || decryptSecretOrNull(row.apiKeyCiphertext, current) !== null) break;
        const plaintext = decryptSecretOrNull(row.apiKeyCiphertext, input.previousSecret);
        // The hash check guards against a ciphertext that opens but holds another key than the one that authenticates.
        if (plaintext === null || hashApiKey(plaintext) !== row.apiKeyHash) {
          unreadable.push(row.slug);
          break;
        }
        if (await apps.replaceApiKeyCiphertext(tx, row, encryptSecret(plaintext, current))) {
          reencrypted++;
          break;
        }
        if (!key) throw new AppError('SERVICE_UNAVAILABLE', `The key of app ${row.slug} changed twice during the run; nothing was changed: run it again`);
      }
    }
    if (unreadable.length) {
      throw new AppError(
        'VALIDATION_ERROR',
        `previousSecret: opens neither the key of ${unreadable.length === 1 ? 'app' : 'apps'} ${unreadable.join(', ')} (nor does the current secret); nothing was changed`,
      );
    }
    const result = { apps: keys.length, reencrypted, alreadyCurrent: keys.length - reencrypted };
    await recordAudit(tx, actor, { action: 'app.api_keys_reencrypted', targetType: 'app', details: result });
    return result;
  });
}
