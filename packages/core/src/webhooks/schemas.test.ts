import { describe, expect, it } from 'vitest';
import { parseStripeEventEnvelope, StripeEventEnvelope } from './schemas.ts';

const good = { id: 'evt_1AbC-d_9', object: 'event', type: 'invoice.paid', created: 1_767_000_000, data: { object: { id: 'in_123', extra: 1 } }, more: true };

/** Variants of a good event, each breaking (or not) one rule of the envelope. */
const cases: unknown[] = [
  good,
  { ...good, data: { object: { id: 'cs_test_a1' } } },
  null,
  [],
  'evt_1',
  { ...good, id: 'evt_' },
  { ...good, id: '123' },
  { ...good, id: `evt_${'a'.repeat(252)}` },
  { ...good, id: `evt_${'a'.repeat(251)}` },
  { ...good, id: 'evt_a b' },
  { ...good, type: '' },
  { ...good, type: 'x'.repeat(256) },
  { ...good, type: 7 },
  { ...good, created: 0 },
  { ...good, created: -5 },
  { ...good, created: 1.5 },
  { ...good, created: '1767000000' },
  { ...good, created: 2 ** 60 },
  { ...good, data: null },
  { ...good, data: [] },
  { ...good, data: { object: [] } },
  { ...good, data: { object: { id: 'IN_123' } } },
  { ...good, data: { object: { id: 'in_' } } },
  { ...good, data: {} },
];

describe('parseStripeEventEnvelope', () => {
  it('accepts and rejects exactly what StripeEventEnvelope does', () => {
    for (const event of cases) expect([event, parseStripeEventEnvelope(event).success]).toEqual([event, StripeEventEnvelope.safeParse(event).success]);
  });

  it('hands back the event itself when it fits, and zod issues when it does not', () => {
    const parsed = parseStripeEventEnvelope(good);
    expect(parsed.success && parsed.data).toBe(good);
    const bad = parseStripeEventEnvelope({ ...good, id: '123' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['id']);
  });
});
