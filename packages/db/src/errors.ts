import { Prisma } from './generated/prisma/client.ts';

/** P2002: a unique constraint rejected the write (someone else got there first). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** P2034: a serializable transaction lost a write conflict and may be retried. */
export function isWriteConflict(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034';
}
