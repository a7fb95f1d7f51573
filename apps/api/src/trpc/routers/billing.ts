import { getSubscriberOverview } from '@aquoris/core';
import { router, subscriberProcedure } from '../init.ts';

export const billingRouter = router({
  /** Who the subscriber is, which app they came from, and where "Back to app" goes. */
  overview: subscriberProcedure.query(({ ctx }) => getSubscriberOverview(ctx.deps, ctx.actor, ctx.session)),
});
