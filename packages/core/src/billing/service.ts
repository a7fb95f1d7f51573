import type { SubscriberActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { VerifiedSession } from '../sessions/tokens.ts';

/** What the billing pages show about where the subscriber came from and who they are. */
export async function getSubscriberOverview(deps: Pick<Deps, 'db'>, actor: SubscriberActor, session: VerifiedSession) {
  const customer = await deps.db.customer.findFirst({
    where: { id: actor.customerId, appId: actor.appId },
    select: { email: true, name: true, app: { select: { name: true, slug: true, returnUrl: true } } },
  });
  if (!customer) throw new AppError('UNAUTHORIZED', 'This billing session is no longer valid');
  return {
    app: { name: customer.app.name, slug: customer.app.slug },
    returnUrl: session.returnUrl ?? customer.app.returnUrl,
    intent: session.intent,
    planSlug: session.planSlug ?? null,
    customer: { email: customer.email, name: customer.name },
    sessionExpiresAt: session.expiresAt.toISOString(),
  };
}
