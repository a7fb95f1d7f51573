import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from './client.ts';
import { compileOnce } from './compiled.ts';
import { newId } from './ids.ts';
import { createFreshDatabase } from './testing/index.ts';

let fresh: { url: string; drop(): Promise<void> };
let database: Database;
beforeAll(async () => {
  fresh = await createFreshDatabase();
  database = createDatabase(fresh.url, { max: 2 });
  for (const [slug, priceAmount] of [
    ['cheap', 100],
    ['dear', 900],
  ] as const) {
    await database.kysely.insertInto('plans').values({ id: newId(), slug, name: slug, priceAmount, currency: 'thb', interval: 'month' }).execute();
  }
});
afterAll(async () => {
  await database?.close();
  await fresh?.drop();
});

const plansUnder = compileOnce(
  (db, maxPrice: number, slugPrefix: string) =>
    db.selectFrom('plans').select('slug').where('priceAmount', '<', maxPrice).where('slug', 'like', slugPrefix).where('active', '=', true).orderBy('slug'),
  [-987_654_321, '\u0000prefix'],
);

describe('compileOnce', () => {
  it('runs the query compiled once with each call’s values (constants stay as built)', async () => {
    expect(await plansUnder(database.kysely, 500, '%')).toEqual([{ slug: 'cheap' }]);
    expect(await plansUnder(database.kysely, 1_000, '%')).toEqual([{ slug: 'cheap' }, { slug: 'dear' }]);
    expect(await plansUnder(database.kysely, 1_000, 'd%')).toEqual([{ slug: 'dear' }]);
  });

  it('runs inside a transaction too', async () => {
    expect(await database.transaction((tx) => plansUnder(tx, 200, '%'))).toEqual([{ slug: 'cheap' }]);
  });

  it('refuses a placeholder the query does not use', async () => {
    const wrong = compileOnce(
      (db, slug: string) =>
        db
          .selectFrom('plans')
          .select('slug')
          .where('slug', '=', 'fixed')
          .where('name', '=', slug.slice(0, 0) || 'x'),
      ['\u0000slug'],
    );
    await expect(wrong(database.kysely, 'cheap')).rejects.toThrow(/placeholder 0/);
  });
});
