export { createDatabase, type Database, type Db, type CreateDbOptions, type PreparedStatement, type Sql, type SqlTx } from './client.ts';
export { Prisma } from './generated/prisma/client.ts';
export type * from './generated/prisma/client.ts';
export * from './generated/prisma/enums.ts';
export { isUniqueViolation, isWriteConflict } from './errors.ts';
