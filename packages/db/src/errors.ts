import { Prisma } from './generated/prisma/client.ts';

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique constraint rejected the write (someone else got there first): 23505, or Prisma's P2002. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === 'P2002';
  return sqlState(error) === '23505';
}

/** A serializable transaction lost a write conflict and may be retried: 40001, or Prisma's P2034. */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === 'P2034';
  return sqlState(error) === '40001';
}
