import { describe, expect, it } from 'vitest';
import { apiKeyDisplayPrefix, decryptSecret, decryptSecretOrNull, digestsEqual, encryptSecret, generateApiKey, hashApiKey } from './crypto.ts';

describe('API key crypto', () => {
  it('generates distinct, prefixed, high-entropy keys', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a).toMatch(/^aqb_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(apiKeyDisplayPrefix(a)).toBe(a.slice(0, 10));
  });

  it('hashes deterministically and compares digests', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestsEqual(hashApiKey(key), hashApiKey(key))).toBe(true);
    expect(digestsEqual(hashApiKey(key), hashApiKey(`${key}x`))).toBe(false);
    expect(digestsEqual(hashApiKey(key), 'abcd')).toBe(false);
  });

  it('encrypts so that only the same secret decrypts', () => {
    const secret = 's'.repeat(40);
    const sealed = encryptSecret('aqb_plaintext', secret);
    expect(sealed).not.toContain('plaintext');
    expect(encryptSecret('aqb_plaintext', secret)).not.toBe(sealed); // random IV
    expect(decryptSecret(sealed, secret)).toBe('aqb_plaintext');
    expect(() => decryptSecret(sealed, 't'.repeat(40))).toThrow();
    // Flip one bit of the first ciphertext byte (a trailing base64url character may only carry padding bits).
    const [version, iv, tag, ciphertext] = sealed.split('.');
    const bytes = Buffer.from(ciphertext!, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    expect(() => decryptSecret([version, iv, tag, bytes.toString('base64url')].join('.'), secret)).toThrow();
  });

  it('tells which secret a ciphertext is under without throwing', () => {
    const sealed = encryptSecret('aqb_plaintext', 'old'.repeat(12));
    expect(decryptSecretOrNull(sealed, 'old'.repeat(12))).toBe('aqb_plaintext');
    expect(decryptSecretOrNull(sealed, 'new'.repeat(12))).toBeNull();
    expect(decryptSecretOrNull('not a ciphertext', 'old'.repeat(12))).toBeNull();
  });
});
