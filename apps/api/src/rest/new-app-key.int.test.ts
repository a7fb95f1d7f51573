import { createApp } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR, useTwoApiInstances, type TestApi } from '../testing/index.ts';
import { waitFor } from '../testing/wait.ts';
import { AUTH_FAILURES_PER_MINUTE, KNOWN_KEYS_MAX_AGE_MS } from './api-key-auth.ts';

// Two API instances on one database and Redis prefix, as in production. Every request comes from
// 127.0.0.1, so once that address has sprayed invalid keys, an uncached key is answered only if it is
// in an instance's list of valid key hashes.

let a: TestApi;
let b: TestApi;
// A second API instance over the same database and Redis namespace, as in a multi-instance deployment.
useTwoApiInstances((first, second) => ((a = first), (b = second)));

const plans = (api: TestApi, apiKey: string) => api.request('/api/v1/plans', { apiKey }).then((res) => res.status);

describe('an app created while its client address is blocked for invalid keys', () => {
  it('gets a key that works at once on every instance, not after the list of valid keys is next re-read', async () => {
    for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++) expect(await plans(a, `aqb_spray_${i}`)).toBe(401);
    // Blocked now, and each instance has just read its list of valid key hashes to answer this.
    for (const api of [a, b]) expect(await plans(api, 'aqb_spray_more')).toBe(429);

    const started = Date.now();
    const { apiKey } = await createApp(a.server.deps, TEST_ACTOR, { slug: 'fresh', name: 'Fresh', returnUrl: 'https://fresh.example.com' });
    // Only the credential event's delivery over Redis to wait for: well under the list's maximum age.
    for (const api of [a, b]) await waitFor(async () => (await plans(api, apiKey)) === 200, { timeoutMs: 2_000, what: 'the new key to be accepted' });
    expect(Date.now() - started).toBeLessThan(KNOWN_KEYS_MAX_AGE_MS / 2);
    // Still blocked for everything else.
    expect(await plans(b, 'aqb_spray_after')).toBe(429);
  });
});
