import { stripeEvents } from '@aquoris/db';
import type { Deps } from '../deps.ts';

/**
 * Read tickets order Stripe reads without a clock: a ticket is a PostgreSQL transaction id taken just
 * before a read, so a read with a larger ticket began later. A row mirroring a Stripe object stores the
 * ticket of the read it was last brought to (`stripeReadTicket`); a read is applied only if its ticket is
 * not older, so a slow, stale read never overwrites what a newer one wrote.
 */
export function takeStripeReadTicket(deps: Pick<Deps, 'db'>): Promise<string> {
  return stripeEvents.takeReadTicket(deps.db.kysely);
}

/** Whether the row's stored read (`stored`, null when none was recorded) is newer than the read of `ticket`: then that read must not be applied. */
export function isStaleRead(ticket: string, stored: string | null): boolean {
  return stored !== null && BigInt(stored) > BigInt(ticket);
}
