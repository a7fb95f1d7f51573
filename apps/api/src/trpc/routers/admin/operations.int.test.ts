import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdmin, signedInAdmin, type TestAdmin } from '../../../testing/admin.ts';
import { startTestApi, type TestApi } from '../../../testing/index.ts';

let api: TestApi;
let admin: TestAdmin;
let viewer: TestAdmin;
let customerId: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await signedInAdmin(api);
  viewer = await signedInAdmin(api, { role: 'VIEWER' });
  await api.createApp({ slug: 'console', name: 'Console' });
  await api.createPlan({ slug: 'pro', name: 'PRO', priceAmount: 29_900, currency: 'thb', interval: 'month' });
  await api.grantSubscription({ appSlug: 'console', externalUserId: 'erin-1', planSlug: 'pro', days: 30 });
}, 120_000);
afterAll(() => api?.close());

const payment = (key: string) => ({
  customerId,
  amount: '299.00',
  currency: 'thb',
  paymentMethod: 'cash',
  reference: 'R-1',
  planSlug: 'pro',
  days: 30,
  idempotencyKey: key,
});

describe('admin console procedures for customers, subscriptions and the audit log', () => {
  it('happy path: search, detail, record payment (twice, one payment), extend, list with total, audit with the admin email', async () => {
    const found = await admin.query('admin.customers.search', { query: 'ERIN', appSlug: 'console' });
    expect(found.status).toBe(200);
    customerId = found.data.customers[0].id;
    const first = await admin.mutate('admin.customers.recordPayment', payment('console-form-0001'));
    const again = await admin.mutate('admin.customers.recordPayment', payment('console-form-0001'));
    expect(first.data).toMatchObject({ amount: 29_900, replayed: false });
    expect(again.data).toMatchObject({ invoiceId: first.data.invoiceId, replayed: true });
    const detail = await viewer.query('admin.customers.get', { customerId });
    expect(detail.data.invoices).toHaveLength(1);
    const subscriptionId = detail.data.subscriptions[0].id as string;
    const extended = await admin.mutate('admin.subscriptions.extend', { subscriptionId, days: 3, reason: 'support' });
    expect(extended.status).toBe(200);
    const list = await viewer.query('admin.subscriptions.list', { status: 'ACTIVE' });
    expect(list.data).toMatchObject({ total: 1, nextCursor: null });
    const audit = await viewer.query('admin.audit.list', { actorType: 'ADMIN' });
    expect(audit.data.entries.map((e: any) => e.action).slice(0, 2)).toEqual(['subscription.extended', 'payment.recorded']);
    expect(audit.data.entries[0].actor).toMatchObject({ type: 'ADMIN', label: admin.email });
  }, 120_000);

  it('errors keep their codes: a bad amount, too large a refund, no plan and no days beside their fields, an unknown customer, an ended subscription', async () => {
    const bad = await admin.mutate('admin.customers.recordPayment', { ...payment('console-form-0002'), amount: '29.999' });
    expect(bad.status).toBe(422);
    expect(bad.error?.message).toContain('amount');
    expect(bad.error?.data.fieldErrors).toEqual({ amount: 'THB has 2 decimal places; "29.999" has 3' });
    const invoiceId = (await admin.query('admin.customers.get', { customerId })).data.invoices[0].id;
    const tooMuch = await admin.mutate('admin.customers.refund', { invoiceId, amount: '300.00' });
    expect(tooMuch.error?.data.fieldErrors).toEqual({ amount: '฿300.00 is more than the refundable remainder ฿299.00' });
    const noPlan = await admin.mutate('admin.subscriptions.grant', { customerId, planSlug: '', days: 0, reason: 'r' });
    expect(noPlan.error?.data.fieldErrors).toEqual({ planSlug: 'choose a plan', days: 'must be at least 1' });
    expect((await admin.query('admin.customers.get', { customerId: 'missing' })).error?.data.appCode).toBe('CUSTOMER_NOT_FOUND');
    const cancel = await admin.mutate('admin.subscriptions.resume', { subscriptionId: 'missing' });
    expect(cancel.error?.data.appCode).toBe('SUBSCRIPTION_NOT_FOUND');
  }, 60_000);

  it('401 without a session; 403 for a viewer mutation and a cross-site one, and nothing changes', async () => {
    for (const [kind, path, input] of [
      ['query', 'admin.customers.search', {}],
      ['query', 'admin.subscriptions.list', {}],
      ['query', 'admin.audit.list', {}],
      ['mutation', 'admin.subscriptions.grant', { customerId: 'x', planSlug: 'pro', days: 1, reason: 'r' }],
    ] as const) {
      expect((await callAdmin(api, kind, path, input)).status).toBe(401);
    }
    const viewerGrant = await viewer.mutate('admin.subscriptions.grant', { customerId, planSlug: 'pro', days: 1, reason: 'r' });
    expect(viewerGrant).toMatchObject({ status: 403, error: { data: { appCode: 'FORBIDDEN' } } });
    const crossSite = await admin.mutate('admin.customers.recordPayment', payment('console-form-0003'), { origin: 'https://evil.example.com' });
    expect(crossSite.status).toBe(403);
    expect(await api.prisma.invoice.count({ where: { customerId } })).toBe(1);
  }, 60_000);
});
