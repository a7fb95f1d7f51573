import { describe, expect, it } from 'vitest';
import { formatMoney, parseMajorUnits, toMajorUnitsText } from './money.ts';

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

describe('parseMajorUnits', () => {
  it('reads amounts as people type them, without floating point', () => {
    expect(parseMajorUnits('299.00', 'thb')).toEqual({ ok: true, minor: 29_900 });
    expect(parseMajorUnits(' 1,299.5 ', 'usd')).toEqual({ ok: true, minor: 129_950 });
    expect(parseMajorUnits('0.29', 'thb')).toEqual({ ok: true, minor: 29 });
    expect(parseMajorUnits('1005', 'thb')).toEqual({ ok: true, minor: 100_500 });
    expect(parseMajorUnits('4.35', 'usd')).toEqual({ ok: true, minor: 435 });
    expect(parseMajorUnits('10000000.00', 'thb')).toEqual({ ok: true, minor: 1_000_000_000 });
  });

  it('says what is wrong', () => {
    expect(parseMajorUnits('29.999', 'thb')).toEqual({ ok: false, message: 'THB has 2 decimal places; "29.999" has 3' });
    for (const bad of ['', 'abc', '-5', '1,29.00', '1.2.3', '1e3', '$5']) expect(parseMajorUnits(bad, 'usd').ok).toBe(false);
    expect(parseMajorUnits('0.00', 'usd')).toEqual({ ok: false, message: 'must be more than zero' });
    expect(parseMajorUnits('10000000.01', 'usd')).toMatchObject({ ok: false, message: expect.stringContaining('at most') });
  });

  it('toMajorUnitsText is its inverse for form defaults', () => {
    expect(toMajorUnitsText(29_900, 'thb')).toBe('299.00');
    expect(toMajorUnitsText(5, 'usd')).toBe('0.05');
  });
});
