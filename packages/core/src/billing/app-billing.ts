import { apps, checkoutSessions, customers } from '@aquoris/db';
import type { AppActor } from '../actors.ts';
import { fulfilCheckoutSession } from '../checkout/fulfil.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertAllowedRedirect } from '../return-url.ts';
import { parseInput } from '../validation.ts';
import { PortalSessionBody, VerifyCheckoutQuery, type PortalSessionResponse, type VerifiedCheckout } from './app-schemas.ts';
import { openBillingPortal } from './manage.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

async function appOrThrow(deps: Deps, actor: AppActor) {
  const app = await apps.findById(deps.db.kysely, actor.appId);
  if (!app) throw new AppError('UNAUTHORIZED', 'This API key no longer belongs to an app');
  return app;
}

/**
 * POST /customers/{externalUserId}/portal-session: Stripe's Customer Portal for one of the app's
 * customers, returning to `returnUrl` (checked against the app's allowed origins).
 */
export async function createCustomerPortalSession(deps: Deps, actor: AppActor, externalUserId: string, raw: unknown): Promise<PortalSessionResponse> {
  const input = parseInput(PortalSessionBody, raw);
  const app = await appOrThrow(deps, actor);
  const returnUrl = assertAllowedRedirect(deps, app, input.returnUrl, 'returnUrl');
  const customer = await customers.findByExternalUserId(deps.db.kysely, actor.appId, externalUserId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', `No customer "${externalUserId}" in this app`);
  if (!customer.stripeCustomerId) {
    throw new AppError('NO_BILLING_ACCOUNT', `Customer "${externalUserId}" has no Stripe customer yet: they have never started a checkout`);
  }
  return openBillingPortal(await stripeFor(deps, app), customer.stripeCustomerId, returnUrl);
}

/**
 * GET /checkout/verify?session_id=cs_...: the subscription a completed Checkout created, fulfilled at once
 * through the same idempotent function as the `checkout.session.completed` webhook (unique keys on the
 * Stripe subscription and invoice ids make any mix of the two record each once). A session this app did
 * not create is 404; one not paid yet (open) or expired is 409 CHECKOUT_NOT_COMPLETED with its status.
 */
export async function verifyCheckoutForApp(deps: Deps, actor: AppActor, raw: unknown): Promise<VerifiedCheckout> {
  const { session_id: stripeSessionId } = parseInput(VerifyCheckoutQuery, raw);
  const row = await checkoutSessions.findByStripeId(deps.db.kysely, stripeSessionId);
  if (!row || row.appId !== actor.appId) throw new AppError('NOT_FOUND', `No Checkout Session ${stripeSessionId} of this app`);
  const customer = await customers.findInApp(deps.db.kysely, actor.appId, row.customerId);
  if (!customer) throw new AppError('NOT_FOUND', `No Checkout Session ${stripeSessionId} of this app`);
  const result = await fulfilCheckoutSession(await stripeFor(deps, actor.appId), actor, stripeSessionId);
  if (result.status === 'complete' && !result.subscription) {
    throw new AppError('NOT_FOUND', `Checkout Session ${stripeSessionId} created no subscription of this app`);
  }
  if (result.status !== 'complete' || !result.subscription) {
    const status = result.status === 'expired' ? 'expired' : 'open';
    const why = status === 'expired' ? 'expired before it was paid' : 'is open: the customer has not paid yet (retry after they return from Checkout)';
    throw new AppError('CHECKOUT_NOT_COMPLETED', `Checkout Session ${stripeSessionId} ${why}`, { details: { status } });
  }
  const sub = result.subscription;
  return {
    status: 'complete',
    externalUserId: customer.externalUserId,
    subscription: {
      id: sub.id,
      status: sub.status,
      plan: { slug: sub.plan.slug, name: sub.plan.name, interval: sub.plan.interval },
      currentPeriodEnd: sub.currentPeriodEnd,
      cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
      source: sub.source,
    },
  };
}
