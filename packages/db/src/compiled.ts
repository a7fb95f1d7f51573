import { CompiledQuery, type Compilable } from 'kysely';
import type { Executor } from './client.ts';

/**
 * A query built and compiled once, then run with new values: for the hot
 * paths, where building Kysely's tree on every call costs more than the
 * indexed lookup itself. `build` is called once with `placeholders` (values
 * that occur nowhere else in the query: unique strings, Date objects); every
 * parameter that is one of them is replaced by the matching argument on each
 * run. The SQL text never changes, so it stays one named prepared statement.
 */
export function compileOnce<A extends unknown[], R>(
  build: (db: Executor, ...args: A) => Compilable<R>,
  placeholders: A,
): (db: Executor, ...args: A) => Promise<R[]> {
  let compiled: { sql: string; parameters: readonly unknown[]; slots: Array<[index: number, arg: number]> } | undefined;
  return async (db, ...args) => {
    if (!compiled) {
      const query = build(db, ...placeholders).compile();
      const slots: Array<[number, number]> = [];
      query.parameters.forEach((value, index) => {
        const arg = placeholders.indexOf(value);
        if (arg >= 0) slots.push([index, arg]);
      });
      const missing = placeholders.findIndex((_, arg) => !slots.some(([, a]) => a === arg));
      if (missing >= 0) throw new Error(`compileOnce: placeholder ${missing} does not appear among the query's parameters`);
      compiled = { sql: query.sql, parameters: query.parameters, slots };
    }
    const parameters = [...compiled.parameters];
    for (const [index, arg] of compiled.slots) parameters[index] = args[arg];
    return (await db.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>)).rows;
  };
}
