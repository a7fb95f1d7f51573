import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from './client.ts';
import { countFiltered, insert, type SubscriptionListFilter } from './queries/subscriptions.ts';
import { createFreshDatabase, seedAdminLists } from './testing/index.ts';

let fresh: { url: string; drop(): Promise<void> };
let database: Database;
beforeAll(async () => {
  fresh = await createFreshDatabase();
  database = createDatabase(fresh.url, { max: 4 });
  await seedAdminLists(database.kysely, { subscriptions: 400, auditEntries: 0 });
});
afterAll(async () => {
  await database?.close();
  await fresh?.drop();
});

const STATUSES = [undefined, 'ACTIVE', 'CANCELED', 'TRIALING', 'PAUSED'] as const;
const APPS = [undefined, 'ba_1', 'ba_3'] as const;
const PLANS = [undefined, 'bp_2', 'bp_4'] as const;

/** Every combination of the filters, each with countFiltered and the rows counted one by one. */
async function countsBothWays(): Promise<Array<{ filter: SubscriptionListFilter; counted: number; scanned: number }>> {
  const out = [];
  for (const status of STATUSES)
    for (const appId of APPS)
      for (const planId of PLANS) {
        const filter = { status, appId, planId };
        let scan = database.kysely.selectFrom('subscriptions').select((eb) => eb.fn.countAll<string>().as('n'));
        if (status) scan = scan.where('status', '=', status);
        if (appId) scan = scan.where('appId', '=', appId);
        if (planId) scan = scan.where('planId', '=', planId);
        out.push({ filter, counted: await countFiltered(database.kysely, filter), scanned: Number((await scan.executeTakeFirstOrThrow()).n) });
      }
  return out;
}

async function expectExactCounts(): Promise<void> {
  for (const { filter, counted, scanned } of await countsBothWays()) expect(counted, JSON.stringify(filter)).toBe(scanned);
}

const newRow = (status: 'ACTIVE' | 'PAUSED', appId = 'ba_3', planId = 'bp_2') => {
  const now = new Date();
  return { appId, planId, customerId: 'bc_3', status, source: 'MANUAL', kind: 'BASE', currentPeriodStart: now, currentPeriodEnd: now } as const;
};

describe('subscription_counts (kept by triggers on subscriptions)', () => {
  it('counts what a bulk insert wrote, for every filter of status, app and plan', async () => {
    expect(await countFiltered(database.kysely, {})).toBe(400);
    await expectExactCounts();
  });

  it('follows single and bulk updates of status, app and plan, deletes, and updates that change none of them', async () => {
    await insert(database.kysely, newRow('PAUSED'));
    await database.kysely.updateTable('subscriptions').set({ status: 'PAUSED' }).where('status', '=', 'TRIALING').where('appId', '=', 'ba_1').execute();
    await database.kysely.updateTable('subscriptions').set({ appId: 'ba_3', planId: 'bp_4' }).where('id', 'in', ['bs_1', 'bs_2', 'bs_3']).execute();
    await database.kysely.updateTable('subscriptions').set({ cancelAtPeriodEnd: true }).where('status', '=', 'ACTIVE').execute();
    await database.kysely.deleteFrom('subscriptions').where('id', 'in', ['bs_10', 'bs_11']).execute();
    await expectExactCounts();
    expect(await countFiltered(database.kysely, {})).toBe(399);
  });

  it('a rolled-back transaction leaves the counts as they were', async () => {
    const before = await countFiltered(database.kysely, { status: 'ACTIVE' });
    await expect(
      database.transaction(async (tx) => {
        await insert(tx, newRow('ACTIVE'));
        expect(await countFiltered(tx, { status: 'ACTIVE' })).toBe(before + 1); // the transaction sees its own write
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await countFiltered(database.kysely, { status: 'ACTIVE' })).toBe(before);
  });

  it('concurrent transactions writing the same groups all count (none lost, none deadlocked)', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        database.transaction(async (tx) => {
          await insert(tx, newRow('ACTIVE', i % 2 ? 'ba_1' : 'ba_3', 'bp_2'));
          await tx
            .updateTable('subscriptions')
            .set({ status: 'CANCELED' })
            .where('id', '=', `bs_${100 + i}`)
            .execute();
          await insert(tx, newRow('PAUSED', i % 2 ? 'ba_3' : 'ba_1', 'bp_4'));
        }),
      ),
    );
    await expectExactCounts();
  });

  it('many small writes are folded into one row per group now and then, the counts still exact, also with writers running meanwhile', async () => {
    for (let i = 0; i < 150; i++) {
      await insert(database.kysely, newRow(i % 2 ? 'ACTIVE' : 'PAUSED', i % 3 ? 'ba_1' : 'ba_3', i % 5 ? 'bp_2' : 'bp_4'));
      await database.kysely
        .updateTable('subscriptions')
        .set({ status: 'EXPIRED' })
        .where('id', '=', `bs_${200 + i}`)
        .execute();
    }
    const rows = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM subscription_counts`.execute(database.kysely)).rows[0]!.n);
    expect(await rows()).toBeLessThanOrEqual(257);
    await expectExactCounts();
    await Promise.all(Array.from({ length: 40 }, (_, i) => insert(database.kysely, newRow('ACTIVE', i % 2 ? 'ba_1' : 'ba_3'))));
    await expectExactCounts();
  });

  it('a filter by customer or id counts the rows themselves; TRUNCATE empties the counts', async () => {
    const ofCustomer = await countFiltered(database.kysely, { customerId: 'bc_3' });
    expect(ofCustomer).toBe(
      Number((await sql<{ n: string }>`SELECT count(*) AS n FROM subscriptions WHERE "customerId" = 'bc_3'`.execute(database.kysely)).rows[0]!.n),
    );
    expect(ofCustomer).toBeGreaterThan(4);
    await sql`TRUNCATE subscriptions CASCADE`.execute(database.kysely);
    expect(await countFiltered(database.kysely, {})).toBe(0);
    await expectExactCounts();
  });
});
