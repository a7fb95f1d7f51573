import { router } from './init.ts';
import { adminRouter } from './routers/admin/index.ts';
import { billingRouter } from './routers/billing.ts';

export const appRouter = router({
  billing: billingRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
