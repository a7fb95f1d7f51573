import { createApp, createPlan, getMrrCard } from '@aquoris/core';
import { customers, subscriptions } from '@aquoris/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli.ts';
import { startTestApi, TEST_ACTOR, type TestApi } from '../testing/index.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe('metrics:rebuild', () => {
  it('records rows written around the change log (a bulk import), prints progress, and changes nothing when run again', async () => {
    const deps = api.server.deps;
    const { app } = await createApp(deps, TEST_ACTOR, { slug: 'imported', name: 'Imported', returnUrl: 'https://imported.example.com/' });
    const plan = await createPlan(deps, TEST_ACTOR, {
      slug: 'imported-pro',
      name: 'PRO',
      priceAmount: 29_900,
      currency: 'thb',
      interval: 'month',
      active: false,
    });
    for (const user of ['a', 'b', 'c']) {
      const customer = await customers.upsert(deps.db.kysely, app.id, user, {});
      // Straight into the base table, as a restore or a bulk import would: no change-log row.
      await subscriptions.insert(deps.db.kysely, {
        appId: app.id,
        customerId: customer.id,
        planId: plan.id,
        status: user === 'c' ? 'CANCELED' : 'ACTIVE',
        source: 'CHECKOUT',
        kind: 'BASE',
        currentPeriodStart: new Date(),
        currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000),
      });
    }
    expect((await getMrrCard(deps, {})).mrr[0]).toEqual({ currency: 'thb', amount: 0 });

    const first = await runCli(api, ['metrics:rebuild']);
    expect(first.code).toBe(0);
    expect(first.json).toEqual({ customers: 3, changedCustomers: 2, apps: 1, revenueEntries: 0, dailyRows: 1 });
    expect(first.stderr).toMatch(new RegExp(`^metrics:rebuild app 1/1 ${app.id}: 3 customers, 2 changed, 0 revenue entries, 1 daily rows, \\d+ ms\n$`));
    expect((await getMrrCard(deps, {})).mrr[0]).toEqual({ currency: 'thb', amount: 59_800 });

    const again = await runCli(api, ['metrics:rebuild']);
    expect(again.json).toMatchObject({ customers: 3, changedCustomers: 0 });
    expect(await api.prisma.auditLog.count({ where: { action: 'metrics.rebuilt', actorType: 'CLI' } })).toBe(2);
  });

  it('refuses an option it does not have', async () => {
    const res = await runCli(api, ['metrics:rebuild', '--batch-size', '2']);
    expect([res.code, res.json.error.code]).toEqual([1, 'VALIDATION_ERROR']);
  });
});
