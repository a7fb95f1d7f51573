export {
  createDatabase,
  statementName,
  type Database,
  type Db,
  type CreateDbOptions,
  type Executor,
  type PreparedStatement,
  type Sql,
  type SqlTx,
  type Tx,
} from './client.ts';
export { Prisma } from './generated/prisma/client.ts';
export type * from './generated/prisma/client.ts';
export * from './generated/prisma/enums.ts';
export type { DB } from './kysely/types.ts';
export { isUniqueViolation, isWriteConflict } from './errors.ts';
export { newId } from './ids.ts';
export * as audit from './queries/audit.ts';
export * as locks from './queries/locks.ts';
export * as stripeEvents from './queries/stripe-events.ts';
