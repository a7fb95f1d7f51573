function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** 23505: a unique constraint rejected the write (someone else got there first). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** 40001: a serializable transaction lost a write conflict and may be retried. */
export function isWriteConflict(error: unknown): boolean {
  return sqlState(error) === '40001';
}

/** 40P01: PostgreSQL broke a deadlock by failing this transaction, which may be retried. */
export function isDeadlock(error: unknown): boolean {
  return sqlState(error) === '40P01';
}

/** 57014: the statement was canceled, here by its statement_timeout. */
export function isQueryCanceled(error: unknown): boolean {
  return sqlState(error) === '57014';
}
