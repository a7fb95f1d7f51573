import { sql } from 'kysely';
import type { Executor } from '../client.ts';

/**
 * When the last Stripe event about each app's objects was received: events carry the id of their
 * object (a subscription, an invoice or charge, a checkout session), and those objects carry the app.
 */
export async function lastWebhookByApp(db: Executor): Promise<Map<string, Date>> {
  const { rows } = await sql<{ appId: string; receivedAt: Date }>`
    select o."appId", max(e."receivedAt") as "receivedAt" from stripe_events e join (
      select "appId", "stripeSubscriptionId" as object from subscriptions where "stripeSubscriptionId" is not null
      union all select "appId", "stripeInvoiceId" from invoices where "stripeInvoiceId" is not null
      union all select "appId", "stripeChargeId" from invoices where "stripeChargeId" is not null
      union all select "appId", "stripeCheckoutSessionId" from checkout_sessions where "stripeCheckoutSessionId" is not null
    ) o on o.object = e."objectId" group by o."appId"`.execute(db);
  return new Map(rows.map((row) => [row.appId, row.receivedAt]));
}
