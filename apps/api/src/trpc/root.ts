import { router } from './init.ts';
import { billingRouter } from './routers/billing.ts';

export const appRouter = router({
  billing: billingRouter,
});

export type AppRouter = typeof appRouter;
