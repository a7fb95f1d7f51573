import { apps, customers } from '@aquoris/db';
import type { AppActor, SubscriberActor } from '../actors.ts';
import { ensureCustomer } from '../customers/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getActivePlanBySlugOrThrow, pricePlanOrThrow } from '../plans/service.ts';
import { assertAllowedRedirect } from '../return-url.ts';
import { parseInput } from '../validation.ts';
import { CreateSessionBody, type CreateSessionResponse } from './schemas.ts';
import { signSessionToken, verifySessionToken, type VerifiedSession } from './tokens.ts';

/** POST /sessions: a signed, 15-minute link to the hosted billing pages. */
export async function createBillingSession(deps: Deps, actor: AppActor, raw: CreateSessionBody): Promise<CreateSessionResponse> {
  const body = parseInput(CreateSessionBody, raw);
  if (body.appSlug !== actor.appSlug) throw new AppError('UNAUTHORIZED', `API key does not belong to app "${body.appSlug}"`);
  if (body.planSlug && body.intent !== 'upgrade') {
    throw new AppError('VALIDATION_ERROR', 'planSlug is only allowed with intent "upgrade"');
  }
  if (body.billingInterval && !body.planSlug) throw new AppError('VALIDATION_ERROR', 'billingInterval is only allowed with planSlug');
  if (body.planSlug) await pricePlanOrThrow(deps, await getActivePlanBySlugOrThrow(deps, body.planSlug), body.billingInterval);

  let returnUrl: string | undefined;
  if (body.returnUrl !== undefined) {
    const app = await apps.findById(deps.db.kysely, actor.appId);
    if (!app) throw new AppError('UNAUTHORIZED', 'This API key no longer belongs to an app');
    returnUrl = assertAllowedRedirect(deps, app, body.returnUrl, 'returnUrl');
  }

  const customer = await ensureCustomer(deps, actor.appId, body.externalUserId, body.user ?? {});
  const token = await signSessionToken(
    { customerId: customer.id, appId: actor.appId, intent: body.intent, planSlug: body.planSlug, billingInterval: body.billingInterval, returnUrl },
    deps.config.sessionSecret,
    'billing-session-url',
    deps.clock,
  );
  return { url: `${deps.config.publicUrl}/session/${token}` };
}

export interface SubscriberSession {
  cookieValue: string;
  maxAgeSeconds: number;
  redirectTo: string;
}

/** GET /session/<token>: checks the link and mints the 2-hour subscriber session it opens. */
export async function openSubscriberSession(deps: Deps, token: string): Promise<SubscriberSession> {
  const claims = await verifySessionToken(token, deps.config.sessionSecret, 'billing-session-url', deps.clock).catch(async (error: unknown) => {
    const appId = error instanceof AppError ? error.details?.appId : undefined;
    if (error instanceof AppError && typeof appId === 'string') throw await withWayBack(deps, error, appId, error.details?.returnUrl);
    throw error;
  });
  const customer = await customers.findInApp(deps.db.kysely, claims.appId, claims.customerId);
  if (!customer) {
    const error = new AppError('UNAUTHORIZED', 'This billing session link is not valid', { details: { reason: 'invalid' } });
    throw await withWayBack(deps, error, claims.appId, claims.returnUrl);
  }
  const cookieValue = await signSessionToken(claims, deps.config.sessionSecret, 'billing-subscriber', deps.clock);
  const query = claims.planSlug ? `?plan=${encodeURIComponent(claims.planSlug)}${claims.billingInterval ? `&interval=${claims.billingInterval}` : ''}` : '';
  const redirectTo = claims.intent === 'upgrade' ? `/billing/plans${query}` : '/billing';
  return { cookieValue, maxAgeSeconds: 2 * 60 * 60, redirectTo };
}

/**
 * A link that failed after its signature checked out (expired, or its customer is gone) still says
 * which app sent the subscriber: the error carries where "Back to <app>" goes (the link's own
 * returnUrl, else the app's registered one) and the app's name. A forged or damaged link carries none.
 */
async function withWayBack(deps: Deps, error: AppError, appId: string, returnUrl: unknown): Promise<AppError> {
  const app = await apps.findById(deps.db.kysely, appId);
  if (!app) return new AppError(error.code, error.message, { cause: error, details: { reason: error.details?.reason } });
  const url = typeof returnUrl === 'string' ? returnUrl : app.returnUrl;
  return new AppError(error.code, error.message, { cause: error, details: { reason: error.details?.reason, returnUrl: url, appName: app.name } });
}

export interface SubscriberContext {
  actor: SubscriberActor;
  session: VerifiedSession;
}

/** Authorises a subscriber request from its session cookie. */
export async function authenticateSubscriber(deps: Pick<Deps, 'config' | 'clock'>, cookieValue: string | undefined): Promise<SubscriberContext> {
  if (!cookieValue) throw new AppError('UNAUTHORIZED', 'No billing session: open the billing page from your app again');
  const session = await verifySessionToken(cookieValue, deps.config.sessionSecret, 'billing-subscriber', deps.clock);
  return { actor: { type: 'subscriber', appId: session.appId, customerId: session.customerId }, session };
}
