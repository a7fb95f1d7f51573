import { describe, expect, it } from 'vitest';
import { stripeTarget } from './client.ts';

const REAL = 'sk_test_51Hx9ExampleExampleExampleExample00AbCdEf';

describe('stripeTarget', () => {
  it('uses STRIPE_API_BASE (the emulator) whenever it is set, whatever the key', () => {
    expect(stripeTarget({ NODE_ENV: 'development', STRIPE_SECRET_KEY: REAL, STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toEqual({
      kind: 'emulator',
      base: 'http://127.0.0.1:12111',
    });
  });
  it('uses real Stripe for a real key', () => {
    expect(stripeTarget({ NODE_ENV: 'development', STRIPE_SECRET_KEY: REAL, STRIPE_API_BASE: undefined })).toEqual({ kind: 'stripe' });
  });
  it('uses the emulator on its default port for a placeholder key outside production', () => {
    expect(stripeTarget({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_emulator', STRIPE_API_BASE: undefined })).toEqual({
      kind: 'emulator',
      base: 'http://127.0.0.1:12111',
    });
    expect(stripeTarget({ NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_test_emulator', STRIPE_API_BASE: undefined })).toEqual({ kind: 'stripe' });
  });
  it('has no Stripe without a key', () => {
    expect(stripeTarget({ NODE_ENV: 'development', STRIPE_SECRET_KEY: undefined, STRIPE_API_BASE: undefined })).toEqual({ kind: 'none' });
  });
});
