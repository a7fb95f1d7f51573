import { describe, expect, it } from 'vitest';
import { pickBase } from './service.ts';

const at = (iso: string) => new Date(iso);

describe('pickBase', () => {
  it('prefers ACTIVE over TRIALING over PAST_DUE, then the latest period end', () => {
    const rows = [
      { id: 'past', status: 'PAST_DUE', currentPeriodEnd: at('2030-01-01') },
      { id: 'trial', status: 'TRIALING', currentPeriodEnd: at('2029-01-01') },
      { id: 'a1', status: 'ACTIVE', currentPeriodEnd: at('2027-01-01') },
      { id: 'a2', status: 'ACTIVE', currentPeriodEnd: at('2028-01-01') },
    ];
    expect(pickBase(rows)?.id).toBe('a2');
    expect(pickBase(rows.slice(0, 2))?.id).toBe('trial');
    expect(pickBase(rows.slice(0, 1))?.id).toBe('past');
    expect(pickBase([])).toBeNull();
  });
});
