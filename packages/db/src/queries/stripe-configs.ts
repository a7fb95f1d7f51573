import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { AppStripeConfig, StripeMode } from '../kysely/types.ts';

export type StripeConfigRow = Selectable<AppStripeConfig>;
export type StripeConfigInsert = Omit<Insertable<AppStripeConfig>, 'id' | 'createdAt' | 'deactivatedAt'>;

/** The app's active configuration rows (at most one per mode), test first. */
export const listActive = (db: Executor, appId: string): Promise<StripeConfigRow[]> =>
  db.selectFrom('app_stripe_configs').selectAll().where('appId', '=', appId).where('deactivatedAt', 'is', null).orderBy('mode', 'asc').execute();

export const findActive = (db: Executor, appId: string, mode: StripeMode): Promise<StripeConfigRow | undefined> =>
  db
    .selectFrom('app_stripe_configs')
    .selectAll()
    .where('appId', '=', appId)
    .where('mode', '=', mode)
    .where('deactivatedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();

/** Every row of the app, active and deactivated, newest first (the history). */
export const listHistory = (db: Executor, appId: string): Promise<StripeConfigRow[]> =>
  db.selectFrom('app_stripe_configs').selectAll().where('appId', '=', appId).orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();

export const insert = (db: Executor, values: StripeConfigInsert): Promise<StripeConfigRow> =>
  db
    .insertInto('app_stripe_configs')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

/** Deactivates the app's active rows (of one mode, or all); the rows stay as history. */
export async function deactivate(db: Executor, appId: string, at: Date, mode?: StripeMode): Promise<number> {
  let query = db.updateTable('app_stripe_configs').set({ deactivatedAt: at }).where('appId', '=', appId).where('deactivatedAt', 'is', null);
  if (mode) query = query.where('mode', '=', mode);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Rows whose secrets are under another key than `currentKeyId` (what re-encryption works through). */
export const listNotUnderKey = (db: Executor, currentKeyId: string): Promise<StripeConfigRow[]> =>
  db.selectFrom('app_stripe_configs').selectAll().where('encryptionKeyId', '<>', currentKeyId).orderBy('createdAt', 'asc').execute();

/** Compare-and-set of both ciphertexts: false when the row changed meanwhile. */
export async function replaceCiphertexts(
  db: Executor,
  row: Pick<StripeConfigRow, 'id' | 'secretKeyCiphertext' | 'webhookSecretCiphertext'>,
  next: { secretKeyCiphertext: string; webhookSecretCiphertext: string; encryptionKeyId: string },
): Promise<boolean> {
  const result = await db
    .updateTable('app_stripe_configs')
    .set(next)
    .where('id', '=', row.id)
    .where('secretKeyCiphertext', '=', row.secretKeyCiphertext)
    .where('webhookSecretCiphertext', '=', row.webhookSecretCiphertext)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
