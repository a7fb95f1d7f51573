import { describe, expect, it } from 'vitest';
import { formatMoney } from './money.ts';

describe('formatMoney', () => {
  it('formats minor units with the currency symbol', () => {
    expect(formatMoney(29900, 'thb')).toBe('฿299.00');
    expect(formatMoney(999, 'usd')).toBe('$9.99');
    expect(formatMoney(5, 'usd')).toBe('$0.05');
    expect(formatMoney(0, 'usd')).toBe('$0.00');
    expect(formatMoney(123456789, 'thb')).toBe('฿1,234,567.89');
    expect(formatMoney(-505, 'usd')).toBe('-$5.05');
  });

  it('refuses fractional minor units', () => {
    expect(() => formatMoney(1.5, 'usd')).toThrow(RangeError);
  });
});
