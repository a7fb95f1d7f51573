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
