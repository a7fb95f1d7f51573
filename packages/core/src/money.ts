export const CURRENCIES = ['thb', 'usd'] as const;
export type Currency = (typeof CURRENCIES)[number];

const SYMBOLS: Record<Currency, string> = { thb: '฿', usd: '$' };

/** 29900 thb → "฿299.00". Amounts are integer minor units; both currencies have two decimals. */
export function formatMoney(amount: number, currency: Currency): string {
  if (!Number.isInteger(amount)) throw new RangeError(`amount must be an integer number of minor units, got ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const major = Math.floor(abs / 100).toLocaleString('en-US');
  const minor = String(abs % 100).padStart(2, '0');
  return `${sign}${SYMBOLS[currency]}${major}.${minor}`;
}

/** Decimal places of each currency's minor unit (ISO 4217 exponent). */
export const CURRENCY_EXPONENT: Record<Currency, number> = { thb: 2, usd: 2 };

/** The largest amount a form may carry, in minor units (as MinorUnits allows). */
const MAX_MINOR_UNITS = 1_000_000_000;

export type MajorUnitsResult = { ok: true; minor: number } | { ok: false; message: string };

/**
 * "299.00" or "1,299.5" in `currency` → 29900 / 129950 minor units, as a person types an amount.
 * Digits, optional thousands separators in groups of three, at most the currency's decimals; more
 * than zero. Never goes through floating point. The message says what to fix.
 */
export function parseMajorUnits(text: string, currency: Currency): MajorUnitsResult {
  const exponent = CURRENCY_EXPONENT[currency];
  const code = currency.toUpperCase();
  const value = text.trim();
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(value);
  if (!match) return { ok: false, message: `enter the amount in ${code} as digits, e.g. 299.00` };
  const decimals = match[2] ?? '';
  if (decimals.length > exponent) return { ok: false, message: `${code} has ${exponent} decimal places; "${value}" has ${decimals.length}` };
  const digits = `${match[1]!.replaceAll(',', '')}${decimals.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 10 || Number(digits) > MAX_MINOR_UNITS) return { ok: false, message: `must be at most ${formatMoney(MAX_MINOR_UNITS, currency)}` };
  const minor = Number(digits);
  if (minor <= 0) return { ok: false, message: 'must be more than zero' };
  return { ok: true, minor };
}

/** 29900 thb → "299.00": minor units as a form shows them (no symbol, no separators). */
export function toMajorUnitsText(amount: number, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  const text = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${amount < 0 ? '-' : ''}${text.slice(0, -exponent)}.${text.slice(-exponent)}`;
}
