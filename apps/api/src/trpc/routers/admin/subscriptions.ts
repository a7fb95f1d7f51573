import {
  AdminSubscriptionView,
  ExtendSubscriptionInput,
  GrantToCustomerInput,
  ListSubscriptionsInput,
  SubscriptionActionInput,
  SubscriptionPage,
  cancelSubscriptionAtPeriodEnd,
  extendSubscription,
  grantSubscriptionToCustomer,
  listSubscriptions,
  resumeSubscription,
} from '@aquoris/core';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

/** The Subscriptions list and the subscription actions of a customer's page. */
export const adminSubscriptionsRouter = router({
  list: adminProcedure
    .input(ListSubscriptionsInput)
    .output(SubscriptionPage)
    .query(({ ctx, input }) => listSubscriptions(ctx.deps, input)),
  cancel: adminMutation
    .input(SubscriptionActionInput)
    .output(AdminSubscriptionView)
    .mutation(({ ctx, input }) => cancelSubscriptionAtPeriodEnd(ctx.deps, ctx.actor, input)),
  resume: adminMutation
    .input(SubscriptionActionInput)
    .output(AdminSubscriptionView)
    .mutation(({ ctx, input }) => resumeSubscription(ctx.deps, ctx.actor, input)),
  extend: adminMutation
    .input(ExtendSubscriptionInput)
    .output(AdminSubscriptionView)
    .mutation(({ ctx, input }) => extendSubscription(ctx.deps, ctx.actor, input)),
  grant: adminMutation
    .input(GrantToCustomerInput)
    .output(AdminSubscriptionView)
    .mutation(({ ctx, input }) => grantSubscriptionToCustomer(ctx.deps, ctx.actor, input)),
});
