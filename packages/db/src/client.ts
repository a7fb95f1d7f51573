import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export interface CreateDbOptions {
  /** Pool size; PostgreSQL connections are the scarce resource, so keep it modest. */
  max?: number;
  /** Milliseconds to wait for a free connection before failing. */
  connectionTimeoutMillis?: number;
}

/** A Prisma client over node-postgres (no native engine needed at run time). */
export function createDb(connectionString: string, options: CreateDbOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

export type Db = PrismaClient;
