import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Prisma's client over a test database, for tests that inspect rows. The
 * service itself reaches PostgreSQL only through the query functions
 * (src/queries); this is a test tool, never given to core.
 */
export function createInspectionClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 2 }) });
}

export type InspectionClient = PrismaClient;
