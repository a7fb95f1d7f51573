import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_SECRET } from './emulator.ts';

describe('defaults', () => {
  it('signs with the webhook secret .env.example gives the API, so a standalone emulator and `.env` agree', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    expect(/^STRIPE_WEBHOOK_SECRET=(.*)$/m.exec(example)?.[1]?.trim()).toBe(DEFAULT_WEBHOOK_SECRET);
  });
});
