import {
  ActiveSubscriptionsCard,
  ChurnCard,
  DashboardFilter,
  getActiveSubscriptionsCard,
  getChurnCard,
  getMrrCard,
  getMrrMovements,
  getMrrSeries,
  getRevenueCard,
  getRevenueSeries,
  getSubscriptionFlowSeries,
  MrrCard,
  MrrMovements,
  MrrSeries,
  RevenueCard,
  RevenueSeries,
  SubscriptionFlowSeries,
} from '@aquoris/core';
import { router } from '../../init.ts';
import { adminProcedure } from './procedures.ts';

/** Every card and chart: any admin, the filter in, its schema out, its own server timeout (METRIC_TIMEOUT, 504). */
const figure = adminProcedure.input(DashboardFilter);

/** The Dashboard page (docs/metrics.md): each card and chart fetched on its own, so a slow one leaves the others standing. */
export const adminDashboardRouter = router({
  mrr: figure.output(MrrCard).query(({ ctx, input }) => getMrrCard(ctx.deps, input, ctx.deps.dashboard)),
  active: figure.output(ActiveSubscriptionsCard).query(({ ctx, input }) => getActiveSubscriptionsCard(ctx.deps, input, ctx.deps.dashboard)),
  churn: figure.output(ChurnCard).query(({ ctx, input }) => getChurnCard(ctx.deps, input, ctx.deps.dashboard)),
  revenue: figure.output(RevenueCard).query(({ ctx, input }) => getRevenueCard(ctx.deps, input, ctx.deps.dashboard)),
  mrrSeries: figure.output(MrrSeries).query(({ ctx, input }) => getMrrSeries(ctx.deps, input, ctx.deps.dashboard)),
  subscriptionFlow: figure.output(SubscriptionFlowSeries).query(({ ctx, input }) => getSubscriptionFlowSeries(ctx.deps, input, ctx.deps.dashboard)),
  revenueSeries: figure.output(RevenueSeries).query(({ ctx, input }) => getRevenueSeries(ctx.deps, input, ctx.deps.dashboard)),
  movements: figure.output(MrrMovements).query(({ ctx, input }) => getMrrMovements(ctx.deps, input, ctx.deps.dashboard)),
});
