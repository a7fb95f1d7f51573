import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, statementName, type Database } from './client.ts';
import { newId } from './ids.ts';
import * as audit from './queries/audit.ts';
import { lockKey } from './queries/locks.ts';
import { createFreshDatabase } from './testing/index.ts';

let fresh: { url: string; drop(): Promise<void> };
let database: Database;

beforeAll(async () => {
  fresh = await createFreshDatabase();
  database = createDatabase(fresh.url, { max: 3 });
});
afterAll(async () => {
  await database?.close();
  await fresh?.drop();
});

const insertPlan = (slug: string) =>
  database.kysely
    .insertInto('plans')
    .values({ id: newId(), slug, name: slug, priceAmount: 100, currency: 'thb', interval: 'month' })
    .returningAll()
    .executeTakeFirstOrThrow();

describe('createDatabase', () => {
  it('sends each query as a named prepared statement, prepared once per connection', async () => {
    const query = database.kysely.selectFrom('plans').select('id').where('slug', '=', 'none');
    const { sql: text } = query.compile();
    const prepared = await database.transaction(async (tx) => {
      await query.execute(); // outside, on any connection
      await tx.selectFrom('plans').select('id').where('slug', '=', 'none').execute();
      await tx.selectFrom('plans').select('id').where('slug', '=', 'other').execute();
      return sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(tx);
    });
    const mine = prepared.rows.filter((row) => row.statement === text);
    expect(mine).toEqual([{ name: statementName(text), statement: text }]);
  });

  it('commits a transaction, and rolls it back (rethrowing) when the function throws', async () => {
    await database.transaction((tx) =>
      tx.insertInto('plans').values({ id: newId(), slug: 'kept', name: 'k', priceAmount: 1, currency: 'thb', interval: 'month' }).execute(),
    );
    await expect(
      database.transaction(async (tx) => {
        await tx.insertInto('plans').values({ id: newId(), slug: 'rolled-back', name: 'r', priceAmount: 1, currency: 'thb', interval: 'month' }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const slugs = (await database.kysely.selectFrom('plans').select('slug').where('slug', 'in', ['kept', 'rolled-back']).execute()).map((r) => r.slug);
    expect(slugs).toEqual(['kept']);
  });

  it('keeps "updatedAt" in the database: set on insert, moved by every update', async () => {
    const plan = await insertPlan('stamped');
    expect(plan.updatedAt).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 20));
    const updated = await database.kysely
      .updateTable('plans')
      .set({ name: 'Renamed' })
      .where('id', '=', plan.id)
      .returning('updatedAt')
      .executeTakeFirstOrThrow();
    expect(updated.updatedAt.getTime()).toBeGreaterThan(plan.updatedAt.getTime());
  });
});

describe('audit.insert', () => {
  it('writes one entry with a minted id and the details as JSON', async () => {
    await audit.insert(database.kysely, {
      actorType: 'CLI',
      actorId: 'ops',
      action: 'test.audited',
      targetType: 'plan',
      targetId: 'p1',
      details: { a: [1, 2] },
    });
    const row = await database.kysely.selectFrom('audit_logs').selectAll().where('action', '=', 'test.audited').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actorType: 'CLI', actorId: 'ops', targetType: 'plan', targetId: 'p1', details: { a: [1, 2] } });
    expect(row.id).toMatch(/^[a-z][a-z0-9]{23}$/);
  });
});

describe('locks.lockKey', () => {
  it('serializes transactions that take the same key until the first commits', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const held = new Promise<void>((r) => (releaseFirst = r));
    let firstLocked!: () => void;
    const locked = new Promise<void>((r) => (firstLocked = r));
    const first = database.transaction(async (tx) => {
      await lockKey(tx, 'checkout:x');
      firstLocked();
      await held;
      order.push('first');
    });
    await locked;
    const second = database.transaction(async (tx) => {
      await lockKey(tx, 'checkout:x');
      order.push('second');
    });
    const other = database.transaction(async (tx) => {
      await lockKey(tx, 'checkout:y');
      order.push('other');
    });
    await other;
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['other']);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['other', 'first', 'second']);
  });
});
