import type { Executor } from '../client.ts';

export interface EligibilityChanges {
  /** A plan changed (its name or slug is in every answer of it), or too many customers did to list: drop every answer. */
  everything: boolean;
  /** The customers whose subscriptions changed. */
  keys: Array<{ appId: string; externalUserId: string }>;
}

/**
 * What may have changed an eligibility answer since `since` (by `updatedAt`, which a database trigger keeps and an
 * insert sets): for a cache that missed its notifications for a while. More than `max` customers counts as
 * everything. Subscriptions and plans are never deleted, so changed rows are all there is to find.
 */
export async function listSince(db: Executor, since: Date, max: number): Promise<EligibilityChanges> {
  const plan = await db.selectFrom('plans').select('id').where('updatedAt', '>=', since).limit(1).executeTakeFirst();
  if (plan) return { everything: true, keys: [] };
  const keys = await db
    .selectFrom('subscriptions')
    .innerJoin('customers', 'customers.id', 'subscriptions.customerId')
    .select(['customers.appId', 'customers.externalUserId'])
    .distinct()
    .where('subscriptions.updatedAt', '>=', since)
    .limit(max + 1)
    .execute();
  return keys.length > max ? { everything: true, keys: [] } : { everything: false, keys };
}
