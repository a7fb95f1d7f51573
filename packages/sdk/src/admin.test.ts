import { describe, expect, it } from 'vitest';
import { AquorisAdmin } from './admin.ts';
import { AquorisBillingError, AuthenticationError } from './errors.ts';
import { apiError, fakeFetch, json } from './testing/fake-fetch.ts';

const admin = (fetch: ReturnType<typeof fakeFetch>) => new AquorisAdmin({ token: 'aqb_op_test', baseUrl: 'https://billing.test/', fetch, maxRetries: 0 });

describe('AquorisAdmin', () => {
  it('sends the operator token and the filters as a query string', async () => {
    const fetch = fakeFetch([json(200, { transactions: [], nextCursor: null })]);
    await admin(fetch).transactions.list({ app: 'vega', kind: 'refund', limit: 10 });
    expect(fetch.requests[0]).toMatchObject({ method: 'GET', url: 'https://billing.test/api/v1/admin/transactions?app=vega&kind=refund&limit=10' });
    expect(fetch.requests[0]!.headers.Authorization).toBe('Bearer aqb_op_test');
  });

  it('pages on with nextCursor until the last page', async () => {
    const fetch = fakeFetch([json(200, { subscriptions: [{ id: 'a' }], nextCursor: 'c1' }), json(200, { subscriptions: [{ id: 'b' }], nextCursor: null })]);
    const ids: string[] = [];
    for await (const page of admin(fetch).subscriptions.pages({ status: 'ACTIVE' })) ids.push(...page.subscriptions.map((s) => s.id));
    expect(ids).toEqual(['a', 'b']);
    expect(fetch.requests.map((r) => r.url)).toEqual([
      'https://billing.test/api/v1/admin/subscriptions?status=ACTIVE',
      'https://billing.test/api/v1/admin/subscriptions?status=ACTIVE&cursor=c1',
    ]);
  });

  it('cancels with a POST, reads apps and stats, and throws the typed errors', async () => {
    const fetch = fakeFetch([json(200, { id: 's 1' }), json(200, { apps: [] }), json(200, { app: 'vega' }), apiError(401, 'UNAUTHORIZED', 'revoked')]);
    const client = admin(fetch);
    await client.subscriptions.cancel('s 1');
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: 'https://billing.test/api/v1/admin/subscriptions/s%201/cancel' });
    expect(await client.apps.list()).toEqual({ apps: [] });
    expect(await client.stats.get({ app: 'vega', month: '2026-01' })).toEqual({ app: 'vega' });
    expect(fetch.requests[2]!.url).toBe('https://billing.test/api/v1/admin/stats?app=vega&month=2026-01');
    await expect(client.apps.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('needs a token', () => {
    expect(() => new AquorisAdmin({ token: '' })).toThrow(AquorisBillingError);
  });
});
