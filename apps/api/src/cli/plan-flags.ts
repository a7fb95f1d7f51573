import { AppError, parseMajorUnits, type Currency } from '@aquoris/core';
import { bool, str, type Values } from './flags.ts';

type Interval = 'month' | 'year';
const NAMES: Record<Interval, 'monthly' | 'yearly'> = { month: 'monthly', year: 'yearly' };

/** --yearly-price / --yearly-stripe-price (and --monthly-... beside a yearly plan), --remove-...-price. */
export const otherPriceOptions = {
  'yearly-price': str,
  'yearly-stripe-price': str,
  'monthly-price': str,
  'monthly-stripe-price': str,
  'remove-yearly-price': bool,
  'remove-monthly-price': bool,
} as const;

export const OTHER_PRICE_USAGE = '[--yearly-price MAJOR_UNITS [--yearly-stripe-price ID]] (--monthly-... beside a yearly plan)';

/**
 * The plan's second price from the flags, beside a plan billed every `interval`: the flags of the other
 * interval only (the plan's own price is --price-amount); its amount in major units ("2990.00") of the plan's
 * currency. Undefined without flags, null for --remove-<other>-price.
 */
export function otherPriceFromFlags(v: Values, interval: Interval, currency: Currency): { priceAmount: number; stripePriceId?: string } | null | undefined {
  const other = NAMES[interval === 'month' ? 'year' : 'month'];
  const own = NAMES[interval];
  for (const flag of [`${own}-price`, `${own}-stripe-price`, `remove-${own}-price`]) {
    if (v[flag] !== undefined)
      throw new AppError('VALIDATION_ERROR', `--${flag}: the plan is billed ${own}; that is its own price (--price-amount, --stripe-price-id)`);
  }
  const amount = v[`${other}-price`];
  const stripePriceId = v[`${other}-stripe-price`];
  if (v[`remove-${other}-price`] === true) {
    if (amount !== undefined || stripePriceId !== undefined)
      throw new AppError('VALIDATION_ERROR', `--remove-${other}-price: give it alone, without --${other}-price`);
    return null;
  }
  if (amount === undefined) {
    if (stripePriceId !== undefined) throw new AppError('VALIDATION_ERROR', `--${other}-stripe-price: give the price too (--${other}-price)`);
    return undefined;
  }
  const parsed = parseMajorUnits(typeof amount === 'string' ? amount : '', currency);
  if (!parsed.ok) throw new AppError('VALIDATION_ERROR', `--${other}-price: ${parsed.message}`);
  return { priceAmount: parsed.minor, ...(typeof stripePriceId === 'string' ? { stripePriceId } : {}) };
}
