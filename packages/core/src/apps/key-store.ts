import type { Db, Prisma } from '@aquoris/db';

type Tx = Prisma.TransactionClient;

// The data access of the API-key re-encryption, in one place: today's Prisma calls, to be ported
// as they are to the typed query functions of packages/db (an apps query module).

export interface StoredApiKey {
  id: string;
  slug: string;
  apiKeyHash: string;
  apiKeyCiphertext: string;
}

/** One transaction for the whole re-encryption: every key moves to the new secret, or none does. */
export function inKeyStoreTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { timeout: 120_000, maxWait: 10_000 });
}

export function listStoredApiKeys(tx: Tx): Promise<StoredApiKey[]> {
  return tx.app.findMany({ select: { id: true, slug: true, apiKeyHash: true, apiKeyCiphertext: true }, orderBy: { slug: 'asc' } });
}

export function findStoredApiKey(tx: Tx, id: string): Promise<StoredApiKey | null> {
  return tx.app.findUnique({ where: { id }, select: { id: true, slug: true, apiKeyHash: true, apiKeyCiphertext: true } });
}

/**
 * Compare-and-set: writes `next` only while the row still holds `expected` and the same key, so a
 * rotation committed meanwhile is never overwritten with the old key. False when the row moved on.
 */
export async function replaceApiKeyCiphertext(tx: Tx, key: StoredApiKey, next: string): Promise<boolean> {
  const { count } = await tx.app.updateMany({
    where: { id: key.id, apiKeyHash: key.apiKeyHash, apiKeyCiphertext: key.apiKeyCiphertext },
    data: { apiKeyCiphertext: next },
  });
  return count === 1;
}
