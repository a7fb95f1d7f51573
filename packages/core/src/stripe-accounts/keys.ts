import { hash } from 'node:crypto';
import { decryptSecret, encryptSecret } from '../crypto.ts';
import { AppError } from '../errors.ts';

/** One STRIPE_CONFIG_ENCRYPTION_KEY: its id (stored beside every ciphertext) and the secret. */
export interface StripeConfigKey {
  id: string;
  secret: string;
}

/** The current key, and during a rotation the previous one (still opens rows until they are re-encrypted). */
export interface StripeConfigKeys {
  current: StripeConfigKey;
  previous?: StripeConfigKey;
}

/** A key's id: the first 12 hex characters of sha256 of the secret, so it names the secret without revealing it. */
export function stripeConfigKeyId(secret: string): string {
  return `k_${hash('sha256', `stripe-config-key:${secret}`, 'hex').slice(0, 12)}`;
}

export function stripeConfigKey(secret: string): StripeConfigKey {
  return { id: stripeConfigKeyId(secret), secret };
}

export function encryptStripeSecret(keys: StripeConfigKeys, plaintext: string): { ciphertext: string; keyId: string } {
  return { ciphertext: encryptSecret(plaintext, keys.current.secret, 'stripe-config-encryption-v1'), keyId: keys.current.id };
}

/** Opens a stored secret with the key its row names; a row under a key this server no longer has is a 503 for the operator. */
export function decryptStripeSecret(keys: StripeConfigKeys, ciphertext: string, keyId: string): string {
  const key = [keys.current, keys.previous].find((k) => k?.id === keyId);
  if (!key) {
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `Stripe configuration is encrypted under key ${keyId}, which this server does not have (STRIPE_CONFIG_ENCRYPTION_KEY)`,
    );
  }
  return decryptSecret(ciphertext, key.secret, 'stripe-config-encryption-v1');
}

/** The last 4 characters: all that is ever shown of a secret once saved. */
export const last4 = (secret: string): string => secret.slice(-4);
