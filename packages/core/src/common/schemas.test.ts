import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CreateSessionBody } from '../sessions/schemas.ts';
import { UpsertCustomerBody } from '../customers/schemas.ts';
import { describeIssues } from '../validation.ts';
import { CustomerName, ExternalUserId, Name } from './schemas.ts';

const CONTROL = ['\u0000', '\u0001', '\t', '\n', '\r', '\u001f', '\u007f', '\u0085', '\u009f'];

function messageOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  expect(result.success, JSON.stringify(value)).toBe(false);
  return describeIssues(result.error?.issues ?? []);
}

describe('ExternalUserId', () => {
  it.each(CONTROL)('refuses the control character U+%s', (c) => {
    expect(messageOf(ExternalUserId, `a${c}b`)).toContain('control characters');
  });

  it('refuses unpaired surrogates, which UTF-8 cannot store', () => {
    expect(messageOf(ExternalUserId, 'a\ud800b')).toContain('well-formed');
    expect(messageOf(ExternalUserId, '\udc00')).toContain('well-formed');
  });

  it.each(['user_123', 'auth0|user/1?x=1#f é ü', 'emoji 🎉', 'a b', 'x'.repeat(256)])('accepts %s', (id) => {
    expect(ExternalUserId.parse(id)).toBe(id);
  });
});

describe('CustomerName', () => {
  it('refuses empty and blank names with a clear message', () => {
    expect(messageOf(CustomerName, '')).toContain('must not be empty');
    expect(messageOf(CustomerName, '   ')).toContain('must not be blank');
  });

  it.each(CONTROL)('refuses the control character U+%s', (c) => {
    expect(messageOf(CustomerName, `Al${c}ice`)).toContain('control characters');
  });

  it('keeps a valid name exactly as given', () => {
    expect(CustomerName.parse(' Alice Smith ')).toBe(' Alice Smith ');
    expect(CustomerName.parse('n'.repeat(1024))).toHaveLength(1024);
    expect(messageOf(CustomerName, 'n'.repeat(1025))).toContain('1024');
  });

  it('is the rule of both contracts that take a customer name', () => {
    expect(messageOf(UpsertCustomerBody, { name: 'a\u0000' })).toMatch(/^name: must not contain control characters/);
    expect(messageOf(UpsertCustomerBody, { name: '' })).toMatch(/^name: must not be empty/);
    const session = { externalUserId: 'u', appSlug: 'vega' };
    expect(messageOf(CreateSessionBody, { ...session, user: { name: '' } })).toMatch(/^user\.name: must not be empty/);
    expect(messageOf(CreateSessionBody, { ...session, externalUserId: 'a\u0000' })).toMatch(/^externalUserId: must not contain control characters/);
    expect(messageOf(CreateSessionBody, { ...session, intent: 'upgrade', planSlug: 'pro\u0000' })).toMatch(/^planSlug: must not contain control characters/);
    expect(messageOf(CreateSessionBody, { ...session, appSlug: 've\u0000ga' })).toMatch(/^appSlug: must not contain control characters/);
    // Slugs are looked up, not pattern-checked: an unknown one stays PLAN_NOT_FOUND / 401, not a validation error.
    expect(CreateSessionBody.safeParse({ ...session, intent: 'upgrade', planSlug: 'Pro Plan' }).success).toBe(true);
  });
});

describe('Name (apps, plans, admins)', () => {
  it('trims, and refuses empty and control characters', () => {
    expect(Name.parse('  Vega ')).toBe('Vega');
    expect(messageOf(Name, '  ')).toContain('must not be empty');
    expect(messageOf(Name, 'Ve\u0000ga')).toContain('control characters');
  });
});
