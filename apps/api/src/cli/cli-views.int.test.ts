import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { runCli } from '../testing/cli.ts';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await api.createApp({ slug: 'viewed', name: 'Viewed', returnUrl: 'https://viewed.example.com/' });
  await api.createPlan({ slug: 'basic', name: 'Basic', priceAmount: 29_900, currency: 'thb', interval: 'month' });
  await api.grantSubscription({ appSlug: 'viewed', externalUserId: 'Carol-7', planSlug: 'basic', days: 30, reason: 'pilot' });
  await api.grantSubscription({ appSlug: 'viewed', externalUserId: 'dave-8', planSlug: 'basic', days: 30 });
}, 120_000);
afterAll(() => api.close());

const cli = (...args: string[]) => runCli(api, args);

describe('operator CLI: looking at things', () => {
  it('customers:list searches by prefix in any case; customers:show and invoices:list show one customer', async () => {
    const found = await cli('customers:list', '--search', 'carol', '--app', 'viewed');
    expect(found.code).toBe(0);
    expect(found.json).toEqual({ customers: [expect.objectContaining({ externalUserId: 'Carol-7', app: 'viewed' })], nextCursor: null });
    const id = found.json.customers[0].id as string;

    const paid = await cli(
      'payments:record',
      ...['--customer', id, '--amount', '299.00', '--currency', 'thb', '--method', 'wire', '--reference', 'W-1', '--plan', 'basic', '--days', '30'],
      ...['--idempotency-key', 'cli-payment-0001'],
    );
    expect(paid.json).toMatchObject({ amount: 29_900, replayed: false });

    const shown = await cli('customers:show', '--app', 'viewed', '--user', 'Carol-7');
    expect(shown.code).toBe(0);
    expect(shown.json.customer).toMatchObject({ id, externalUserId: 'Carol-7' });
    expect(shown.json.subscriptions).toEqual([expect.objectContaining({ source: 'MANUAL', status: 'ACTIVE', plan: { slug: 'basic', name: 'Basic' } })]);
    expect(shown.json.audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['subscription.granted', 'payment.recorded']));

    const invoices = await cli('invoices:list', '--customer', id);
    expect(invoices.json.invoices).toEqual([expect.objectContaining({ source: 'MANUAL', status: 'PAID', amount: 29_900, paymentMethod: 'wire', refunds: [] })]);
    const missing = await cli('invoices:list', '--app', 'viewed', '--user', 'nobody');
    expect(missing).toMatchObject({ code: 1, json: { error: { code: 'CUSTOMER_NOT_FOUND' } } });
  }, 240_000);

  it('subscriptions:list --status counts exactly and pages; audit:list filters by actor type', async () => {
    const active = await cli('subscriptions:list', '--status', 'active', '--limit', '1');
    expect(active.code).toBe(0);
    expect(active.json.total).toBe(2);
    expect(active.json.subscriptions).toHaveLength(1);
    const next = await cli('subscriptions:list', '--status', 'ACTIVE', '--limit', '1', '--cursor', active.json.nextCursor);
    expect(next.json.subscriptions[0].id).not.toBe(active.json.subscriptions[0].id);
    expect(next.json.nextCursor).toBeNull();
    expect((await cli('subscriptions:list', '--status', 'bogus')).json.error.code).toBe('VALIDATION_ERROR');

    const audit = await cli('audit:list', '--actor-type', 'cli', '--action', 'payment.recorded');
    expect(audit.json.entries).toEqual([expect.objectContaining({ action: 'payment.recorded', actor: expect.objectContaining({ type: 'CLI' }) })]);
  }, 240_000);
});
