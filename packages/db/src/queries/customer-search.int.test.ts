import { sql, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../client.ts';
import { createFreshDatabase } from '../testing/index.ts';
import * as customers from './customers.ts';

let fresh: { url: string; drop(): Promise<void> };
let database: Database;
const ROWS = 30_000;

beforeAll(async () => {
  fresh = await createFreshDatabase();
  database = createDatabase(fresh.url, { max: 2 });
  const db = database.kysely;
  await sql`INSERT INTO apps (id, slug, name, "returnUrl", "apiKeyHash", "apiKeyPrefix", "apiKeyCiphertext")
            SELECT 'a' || g, 'app-' || g, 'App', 'https://a.example.com/', md5('k' || g), 'aqb_' || g, 'x' FROM generate_series(1, 2) g`.execute(db);
  // App a2 holds every tenth customer. The oldest third are "old_…" customers (a prefix whose matches are all far from the newest rows).
  await sql`INSERT INTO customers (id, "appId", "externalUserId", email, name, "createdAt")
            SELECT 'c' || lpad(g::text, 6, '0'), 'a' || CASE WHEN g % 10 = 0 THEN 2 ELSE 1 END, CASE WHEN g <= ${ROWS / 3} THEN 'old_' ELSE 'user_' END || g,
              'Mail' || g || '@Example.com', 'Name ' || g, timestamptz '2026-01-01' + g * interval '1 second'
            FROM generate_series(1, ${ROWS}::int) g`.execute(db);
  await sql`ANALYZE customers`.execute(db);
}, 120_000);
afterAll(async () => {
  await database?.close();
  await fresh?.drop();
});

/** The plan PostgreSQL picks for the statement with these very values (as search runs it: force_custom_plan). */
async function plan(query: Compilable): Promise<string> {
  const { sql: text, parameters } = query.compile();
  return database.transaction(async (tx) => {
    await sql`SET LOCAL plan_cache_mode = force_custom_plan`.execute(tx);
    const rows = await sql<{
      'QUERY PLAN': string;
    }>`EXPLAIN ${sql.raw(text.replace(/\$(\d+)/g, (_, n: string) => literal(parameters[Number(n) - 1])))}`.execute(tx);
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}
const literal = (value: unknown) =>
  value instanceof Date ? `'${value.toISOString()}'::timestamptz` : typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;

describe('customer search on a big table', () => {
  it('gathers a prefix through the lower(...) text_pattern_ops indexes, in one app or all', async () => {
    for (const filter of [{ term: 'old_12' }, { term: 'MAIL123', appId: 'a1' }, { term: 'name 2' }]) {
      const text = await plan(customers.searchQueries(database.kysely, filter, null, 51).all);
      expect(text).toMatch(/Index Scan on "?customers_externalUserId_lower_idx/);
      expect(text).toMatch(/Index Scan on "?customers_email_lower_idx/);
      expect(text).toMatch(/Index Scan on "?customers_name_lower_idx/);
      expect(text).not.toMatch(/Seq Scan on customers/);
    }
  });

  it('reads the newest rows through an index ending in (createdAt, id) first', async () => {
    const cursor = { createdAt: new Date('2026-01-01T05:00:00Z'), id: 'c018000' };
    expect(await plan(customers.searchQueries(database.kysely, { term: 'user_' }, cursor, 51).recent)).toMatch(
      /Index Scan Backward using "?customers_createdAt_id_idx/,
    );
    const appScoped = await plan(customers.searchQueries(database.kysely, { term: 'user_', appId: 'a1' }, null, 51).recent);
    expect(appScoped).toMatch(/Index Scan Backward using "?customers_(appId_)?createdAt_id_idx/);
  });

  it('finds the newest matches whichever step answers: common, old-only, rare, none; case and wildcards as typed', async () => {
    const ids = async (term: string, appId?: string, limit = 3) =>
      (await customers.search(database.kysely, { term, appId }, null, limit)).map((c) => c.externalUserId);
    expect(await ids('USER_')).toEqual([`user_${ROWS}`, `user_${ROWS - 1}`, `user_${ROWS - 2}`]); // the newest window
    expect(await ids('old_')).toEqual([`old_${ROWS / 3}`, `old_${ROWS / 3 - 1}`, `old_${ROWS / 3 - 2}`]); // every match, sorted
    expect(await ids('old_9999')).toEqual(['old_9999']);
    expect(await ids('mail7@example', 'a1')).toEqual(['old_7']);
    expect(await ids('mail7@example', 'a2')).toEqual([]); // app a2 holds every tenth customer only
    expect(await ids('old%')).toEqual([]);
    const page1 = await customers.search(database.kysely, { term: 'old_1' }, null, 600);
    const last = page1.at(-1)!;
    const page2 = await customers.search(database.kysely, { term: 'old_1' }, { createdAt: last.createdAt, id: last.id }, 5_000);
    expect(new Set([...page1, ...page2].map((c) => c.id)).size).toBe(1 + 10 + 100 + 1_000 + 1);
  });
});
