import { sql, type RawBuilder } from 'kysely';

/** A position in a newest-first list: the last row's (createdAt, id). Rows after it are strictly older, or as old with a smaller id. */
export interface Keyset {
  createdAt: Date;
  id: string;
}

/**
 * `(createdAt, id) < (cursor)` on the table's columns: a row-value comparison that PostgreSQL runs
 * as an index condition on any index ending in (createdAt, id). Rows inserted after a page was read
 * sort before it, so paging on never repeats or skips a row.
 */
export function olderThan(table: string, cursor: Keyset): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.createdAt`)}, ${sql.ref(`${table}.id`)}) < (${cursor.createdAt}::timestamptz, ${cursor.id})`;
}

/** `(createdAt, id) > (cursor)`: the oldest-first counterpart of `olderThan`, for lists read forwards (exports). */
export function newerThan(table: string, cursor: Keyset): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.createdAt`)}, ${sql.ref(`${table}.id`)}) > (${cursor.createdAt}::timestamptz, ${cursor.id})`;
}
