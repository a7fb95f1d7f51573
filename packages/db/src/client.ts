import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './kysely/types.ts';

export interface CreateDbOptions {
  /** Pool size; PostgreSQL connections are the scarce resource, so keep it modest. */
  max?: number;
  /** Milliseconds to wait for a connection, new (connect) or pooled (acquire), before failing. */
  connectionTimeoutMillis?: number;
  /**
   * Longest a statement may run: PostgreSQL cancels it after this (`statement_timeout`), and the client
   * gives up on an answer a second later (a frozen or partitioned server never answers at all) and
   * discards that connection. Unset: no limit (scripts, benches).
   */
  statementTimeoutMs?: number;
}

/** node-postgres's own error when `query_timeout` fires: the connection still owes an answer, so it is not reused. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/** What every query function runs on: the database itself (one statement, autocommit) or a transaction. */
export type Executor = Kysely<DB>;
/** The one transaction type: every core function that must be atomic takes it. */
export type Tx = Transaction<DB>;

/**
 * Names each distinct SQL text so node-postgres prepares it once per
 * connection and PostgreSQL reuses its plan: planning otherwise costs more
 * than executing the indexed lookups this service makes (docs/performance.md).
 * Kysely carries every value as a parameter, so the set of texts is small;
 * the memo is capped all the same.
 */
const statementNames = new Map<string, string>();
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `aqb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 5_000) statementNames.set(text, name);
  }
  return name;
}

/** Transaction control and session settings are sent as they are: there is nothing to plan. */
const UNNAMED = /^\s*(begin|start transaction|commit|rollback|savepoint|release|set)\b/i;

/** A pooled connection whose (sql, parameters) queries go out as named prepared statements. */
function namedStatements(client: pg.PoolClient): PostgresPoolClient {
  let timedOut = false;
  const watch = <T>(result: Promise<T>): Promise<T> =>
    result.catch((error: unknown) => {
      if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) timedOut = true;
      throw error;
    });
  return {
    get processID() {
      return (client as { processID?: number }).processID;
    },
    query(textOrCursor: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>) {
      // After a read timeout the connection still owes an answer: fail at once (the ROLLBACK too) rather than wait again.
      if (timedOut) return Promise.reject(new Error(QUERY_READ_TIMEOUT));
      if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
      if (UNNAMED.test(textOrCursor)) return watch(client.query(textOrCursor, parameters as unknown[]));
      return watch(client.query({ name: statementName(textOrCursor), text: textOrCursor, values: parameters as unknown[] }));
    },
    release: (destroy?: boolean) => client.release(destroy === true || timedOut),
  } as unknown as PostgresPoolClient;
}

/** The pg pool as Kysely sees it, handing out each pooled client under one stable wrapper. */
function namedStatementPool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    options: pool.options,
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = namedStatements(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

export interface Database {
  /** Kysely over the pool: pass it to a query function for a read or a single write outside a transaction. */
  kysely: Kysely<DB>;
  /** BEGIN, `fn`, COMMIT on one pooled connection; ROLLBACK (and the error rethrown) when `fn` throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A read-only transaction on one pooled connection whose statements PostgreSQL cancels after `timeoutMs`
   * (SQLSTATE 57014): BEGIN and the timeout go in one round trip, then `fn`'s reads, then COMMIT.
   */
  readOnly<T>(timeoutMs: number, fn: (db: Executor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Kysely over one node-postgres pool: the one way the service reaches PostgreSQL (Prisma owns the schema and migrations only). */
export function createDatabase(connectionString: string, options: CreateDbOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    // Notice a server that vanished (a partition) on idle pooled connections too.
    keepAlive: true,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 1_000 } : {}),
  });
  pool.on('error', () => {}); // an idle client's failure surfaces on its next query
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: namedStatementPool(pool) }) });
  return {
    kysely,
    transaction: (fn) => kysely.transaction().execute(fn),
    readOnly: (timeoutMs, fn) =>
      kysely.connection().execute(async (conn) => {
        // One simple-protocol message (no parameters): the integer is ours, never input.
        await sql.raw(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`).execute(conn);
        try {
          const result = await fn(conn);
          await sql.raw('COMMIT').execute(conn);
          return result;
        } catch (error) {
          await sql
            .raw('ROLLBACK')
            .execute(conn)
            .catch(() => {});
          throw error;
        }
      }),
    async close() {
      await kysely.destroy().catch(() => {});
    },
  };
}
