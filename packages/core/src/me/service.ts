import { apps, customers } from '@aquoris/db';
import type { SubscriberActor } from '../actors.ts';
import { confirmPlanChange, previewPlanChange } from '../billing/manage.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { verifySessionToken } from '../sessions/tokens.ts';
import { parseInput } from '../validation.ts';
import { MeUpdateSubscriptionBody, type MeUpdateSubscriptionResult } from './schemas.ts';

export interface SessionBearer {
  actor: SubscriberActor;
  /** The origins the app's front end may call from: its registered return URL's, and the session's returnUrl's. */
  origins: string[];
}

const originOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Authorises an end-user request from the billing-session token of POST /sessions (Bearer): the signature,
 * issuer, audience and expiry, then that its customer is still the app's. Every failure is UNAUTHORIZED.
 */
export async function authenticateSessionBearer(deps: Pick<Deps, 'db' | 'config' | 'clock'>, token: string | undefined): Promise<SessionBearer> {
  if (!token) throw new AppError('UNAUTHORIZED', 'Missing billing-session token: send "Authorization: Bearer <token from POST /api/v1/sessions>"');
  const session = await verifySessionToken(token, deps.config.sessionSecret, 'billing-session-url', deps.clock);
  const [customer, app] = await Promise.all([
    customers.findInApp(deps.db.kysely, session.appId, session.customerId),
    apps.findById(deps.db.kysely, session.appId),
  ]);
  if (!customer || !app) throw new AppError('UNAUTHORIZED', 'This billing-session token is not valid');
  const origins = [originOf(app.returnUrl), originOf(session.returnUrl)].filter((o): o is string => o !== undefined);
  return { actor: { type: 'subscriber', appId: session.appId, customerId: session.customerId }, origins: [...new Set(origins)] };
}

/** Every app's front-end origin (its return URL's): what a CORS preflight, which carries no token, may be answered for. */
export async function listAppOrigins(deps: Pick<Deps, 'db'>): Promise<Set<string>> {
  const rows = await apps.list(deps.db.kysely);
  return new Set(rows.map((app) => originOf(app.returnUrl)).filter((o): o is string => o !== undefined));
}

/** POST /me/update-subscription: the billing pages' plan change, preview first, then confirm with the preview's prorationDate. */
export async function updateMySubscription(deps: Deps, actor: SubscriberActor, raw: MeUpdateSubscriptionBody): Promise<MeUpdateSubscriptionResult> {
  const body = parseInput(MeUpdateSubscriptionBody, raw);
  if (body.prorationDate === undefined) return { kind: 'preview', preview: await previewPlanChange(deps, actor, { planSlug: body.planSlug }) };
  return { kind: 'changed', subscription: await confirmPlanChange(deps, actor, { planSlug: body.planSlug, prorationDate: body.prorationDate }) };
}
