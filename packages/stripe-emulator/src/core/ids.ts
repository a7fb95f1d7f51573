import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Stripe-looking ids: `cus_` + 14 chars, `cs_test_` + 58 chars, and so on. */
export function newId(prefix: string): string {
  if (prefix === 'cs') return `cs_test_a1${randomToken(56)}`;
  if (prefix === 'whsec') return `whsec_${randomBytes(24).toString('hex')}`;
  return `${prefix}_${randomToken(prefix === 'cus' || prefix === 'prod' ? 14 : 24)}`;
}

/** The collection prefix of an id: `cs_test_x` -> `cs`, `price_x` -> `price`. */
export function idPrefix(id: string): string {
  const at = id.indexOf('_');
  return at < 0 ? '' : id.slice(0, at);
}
