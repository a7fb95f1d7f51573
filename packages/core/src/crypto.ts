import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const API_KEY_PREFIX = 'aqb_';

/** A new app API key: `aqb_` + 43 characters of base64url (256 bits of randomness). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** SHA-256 of the key, hex. crypto.hash is the one-shot form: no Hash object per call (every authenticated request hashes its key). */
export function hashApiKey(apiKey: string): string {
  return hash('sha256', apiKey, 'hex');
}

/** What lists may show of a key: its first characters only. */
export function apiKeyDisplayPrefix(apiKey: string): string {
  return apiKey.slice(0, API_KEY_PREFIX.length + 6);
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What a derived key is for (HKDF info): keys derived for one purpose never open another's ciphertexts. */
export type EncryptionPurpose = 'api-key-encryption-v1' | 'stripe-config-encryption-v1';

function encryptionKey(secret: string, purpose: EncryptionPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'aquoris-billing', purpose, 32));
}

/** AES-256-GCM; the result is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function encryptSecret(plaintext: string, secret: string, purpose: EncryptionPurpose = 'api-key-encryption-v1'): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret, purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function decryptSecret(payload: string, secret: string, purpose: EncryptionPurpose = 'api-key-encryption-v1'): string {
  const [version, iv, tag, ciphertext] = payload.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('Unrecognised ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** The plaintext if `secret` opens `payload`, else null: for telling which of two secrets a ciphertext is under. */
export function decryptSecretOrNull(payload: string, secret: string, purpose: EncryptionPurpose = 'api-key-encryption-v1'): string | null {
  try {
    return decryptSecret(payload, secret, purpose);
  } catch {
    return null;
  }
}
