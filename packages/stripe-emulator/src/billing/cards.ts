import { cardDeclined, type StripeApiError } from '../core/errors.ts';

// Stripe's documented test card numbers, and what each does. Any other number that passes the
// Luhn check behaves like 4242 4242 4242 4242; one that fails it is rejected as incorrect.

export interface CardInfo {
  number: string;
  brand: string;
  funding: 'credit' | 'debit';
  last4: string;
}

interface Decline {
  code: string;
  message: string;
  /** false: attaching/saving the card succeeds and only charges fail (4000 0000 0000 0341). */
  onAttach: boolean;
}

const DECLINES: Record<string, Decline> = {
  '4000000000000002': { code: 'generic_decline', message: 'Your card was declined.', onAttach: true },
  '4000000000009995': { code: 'insufficient_funds', message: 'Your card has insufficient funds.', onAttach: true },
  '4000000000009987': { code: 'lost_card', message: 'Your card was declined.', onAttach: true },
  '4000000000000069': { code: 'expired_card', message: 'Your card has expired.', onAttach: true },
  '4000000000000341': { code: 'generic_decline', message: 'Your card was declined.', onAttach: false },
};

export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  attachesThenFails: '4000000000000341',
} as const;

export function normaliseCardNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** Validates the number and returns its card details, or throws the 402 Stripe would answer. */
export function readCard(raw: string): CardInfo {
  const number = normaliseCardNumber(raw);
  if (!/^\d{12,19}$/.test(number) || !passesLuhn(number)) {
    throw cardDeclined('Your card number is incorrect.', 'incorrect_number');
  }
  return { number, brand: brandOf(number), funding: number.startsWith('40000566') ? 'debit' : 'credit', last4: number.slice(-4) };
}

/** The error a charge on this card gets, or null if it goes through. */
export function chargeDecline(number: string): StripeApiError | null {
  const decline = DECLINES[number];
  if (!decline) return null;
  return cardDeclined(decline.message, decline.code, decline.code === 'expired_card' ? { code: 'expired_card' } : {});
}

/** The error saving this card gets (portal page), or null. */
export function attachDecline(number: string): StripeApiError | null {
  const decline = DECLINES[number];
  return decline?.onAttach ? chargeDecline(number) : null;
}

function brandOf(number: string): string {
  if (number.startsWith('4')) return 'visa';
  if (/^5[1-5]/.test(number) || /^2[2-7]/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (number.startsWith('6')) return 'discover';
  return 'unknown';
}

function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
