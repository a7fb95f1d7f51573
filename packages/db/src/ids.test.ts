import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('has the shape of a cuid2 (24 lowercase characters, a letter first)', () => {
    for (let i = 0; i < 1_000; i++) expect(newId()).toMatch(/^[a-z][a-z0-9]{23}$/);
  });

  it('does not repeat, and uses every character', () => {
    const ids = new Set(Array.from({ length: 50_000 }, newId));
    expect(ids.size).toBe(50_000);
    const seen = new Set([...ids].join(''));
    expect(seen.size).toBe(36);
  });
});
